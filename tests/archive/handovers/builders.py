"""Handover lists for the tests: submitted through the service as a department user would, or
stored directly (lines naming records that need not exist) where only policy is under test."""

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Department, DeptCode, Level, RecordVersion, User
from app.models.archive import (
    ArchiveHandover,
    ArchiveHandoverLine,
    HandoverLineStatus,
    HandoverSource,
)
from app.services.archive.handovers import operations
from tests.support import detached, serial


def submit(app, user, *picks, note=None) -> ArchiveHandover:
    """A list of `user`'s department naming the (kind, id) picks."""
    with app.app_context():
        handover = operations.submit(db.session.get(User, user.id), list(picks), note)
        db.session.commit()
        return detached(handover)


def lines_of(app, handover_id: int) -> list[ArchiveHandoverLine]:
    with app.app_context():
        return [detached(line) for line in db.session.scalars(
            select(ArchiveHandoverLine).where(ArchiveHandoverLine.handover_id == handover_id)
            .order_by(ArchiveHandoverLine.id))]


def stored_list(app, dept: DeptCode, submitter, levels: dict[str, Level]) -> ArchiveHandover:
    """A department list stored as it is, one waiting line per key of `levels` titled
    矩阵<key>级<n>, naming records that do not exist (the matrix tests only who sees what)."""
    with app.app_context():
        department = db.session.scalar(select(Department).where(Department.code == dept))
        handover = ArchiveHandover(number=f"YJ-T-{serial():04d}", department_id=department.id,
                                   source=HandoverSource.DEPARTMENT,
                                   submitted_by_id=submitter.id)
        db.session.add(handover)
        db.session.flush()
        for key, level in levels.items():
            db.session.add(_waiting_line(handover.id, f"矩阵{key}级{handover.id}", level))
        db.session.commit()
        return detached(handover)


def add_lines(app, handover: ArchiveHandover, count: int, level: Level = Level.INTERNAL) -> None:
    """`count` more waiting lines on the stored list."""
    with app.app_context():
        for _ in range(count):
            db.session.add(_waiting_line(handover.id, f"补充记录{serial()}", level))
        db.session.commit()


def _waiting_line(handover_id: int, title: str, level: Level) -> ArchiveHandoverLine:
    return ArchiveHandoverLine(
        handover_id=handover_id, record_type="Customer", record_id=900000 + serial(),
        record_version=1, title=title, business_number=title[:20], confidentiality=level,
        signed_at=datetime(2026, 1, 5), status=HandoverLineStatus.PENDING)


def signed_on(app, record_type: str, record_id: int, moment: datetime) -> None:
    """Dates the record's signed versions as if signed at `moment` (naive UTC)."""
    with app.app_context():
        for version in db.session.scalars(select(RecordVersion).where(
                RecordVersion.record_type == record_type, RecordVersion.record_id == record_id)):
            version.created_at = moment
        db.session.commit()
