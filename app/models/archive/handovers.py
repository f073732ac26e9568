"""Handover lists (归档移交单): a department hands signed records to the archive (seeds-wave2
d2: 「合同签订单位负责向档案室归档」), by hand or as the monthly filing (004: 每月分类归档);
the archivist accepts or rejects each line, and accepted lines are filed by a filing run.

A line names the exact signed version handed over, so that what the archive receives is what
the department listed; its status tells what became of it. A filing run (归档作业) files the
lines it was given, one committed line at a time, so that it can resume after a crash."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import Department, Level, User
from app.models.archive.items import ArchiveItem
from app.models.base import Choice, LevelType, choice_column, utcnow


class HandoverSource(Choice):
    DEPARTMENT = ("department", _l("部门移交"))
    MONTHLY = ("monthly", _l("月度归档"))


class HandoverLineStatus(Choice):
    PENDING = ("pending", _l("待接收"))
    ACCEPTED = ("accepted", _l("已接收，归档中"))
    FILED = ("filed", _l("已归档"))
    ALREADY_FILED = ("already_filed", _l("此前已归档"))
    REJECTED = ("rejected", _l("退回"))
    REFUSED = ("refused", _l("不能归档"))
    CHECK_FAILED = ("check_failed", _l("接收检查未通过"))


class FilingRunStatus(Choice):
    QUEUED = ("queued", _l("排队中"))
    RUNNING = ("running", _l("归档中"))
    DONE = ("done", _l("已完成"))
    FAILED = ("failed", _l("中断"))


class ArchiveHandover(db.Model):
    """One 归档移交单 of one department. A monthly list is one per department and month
    (period_start is its first day), so running the month again adds to it."""

    __tablename__ = "archive_handovers"
    __table_args__ = (
        UniqueConstraint("department_id", "source", "period_start",
                         name="uq_archive_handovers_period"),
        Index("ix_archive_handovers_department", "department_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    source: Mapped[HandoverSource] = mapped_column(choice_column(HandoverSource))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)  # the period's last day
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the job
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)

    department: Mapped[Department] = relationship(lazy="raise")
    submitted_by: Mapped[User | None] = relationship(lazy="raise")

    def __str__(self) -> str:
        return self.number


class ArchiveHandoverLine(db.Model):
    """One signed record version on a list, with what became of it: the archivist's decision
    (and reason), the filed item, or why it could not be filed or failed its receipt check."""

    __tablename__ = "archive_handover_lines"
    __table_args__ = (
        UniqueConstraint("handover_id", "record_type", "record_id", "record_version",
                         name="uq_archive_handover_lines_record"),
        Index("ix_archive_handover_lines_record", "record_type", "record_id", "record_version"),
        Index("ix_archive_handover_lines_run", "run_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("archive_handovers.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    record_version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    business_number: Mapped[str] = mapped_column(String(64))
    confidentiality: Mapped[Level] = mapped_column(LevelType(Level))
    signed_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[HandoverLineStatus] = mapped_column(
        choice_column(HandoverLineStatus, 20), default=HandoverLineStatus.PENDING)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("archive_filing_runs.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("archive_items.id"))

    handover: Mapped[ArchiveHandover] = relationship(lazy="raise")
    decided_by: Mapped[User | None] = relationship(lazy="raise")
    item: Mapped[ArchiveItem | None] = relationship(lazy="raise")

    def __str__(self) -> str:
        return f"{self.business_number} {self.title}"


class ArchiveFilingRun(db.Model):
    """A background run (归档作业): the monthly filing of a month (all departments, or one), or
    the filing of the lines an archivist accepted on one list. It files the lines given to it
    (run_id) in id order; progress is how many of them are no longer ACCEPTED."""

    __tablename__ = "archive_filing_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int | None] = mapped_column(ForeignKey("archive_handovers.id"),
                                                    index=True)  # None: a monthly run
    period_start: Mapped[date | None] = mapped_column(Date)  # a monthly run's month
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: timer
    receiver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[FilingRunStatus] = mapped_column(choice_column(FilingRunStatus),
                                                    default=FilingRunStatus.QUEUED)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    department: Mapped[Department | None] = relationship(lazy="raise")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id],
                                                     lazy="raise")
