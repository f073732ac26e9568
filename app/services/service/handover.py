"""客服部's part in a departure hand-over (services.core.departures): the leaver's open service
records (负责人) and due return visits (回访人) go to the successor named in the hand-over, in
its transaction; each record gets a 转交 entry in its history, and the move is audited.
Follow-ups are entries already made (never edited): they stay with who made them, and the next
ones fall to the record's new 负责人, whose due date the record keeps."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update

from app.extensions import db
from app.models import Level, User
from app.models.base import utcnow
from app.models.service.records import (
    OPEN_STATUSES,
    ServiceEvent,
    ServiceEventKind,
    ServiceRecord,
)
from app.models.service.visits import ReturnVisit, ReturnVisitStatus
from app.services.core import audit

KINDS = {"service_records": _l("未办结服务记录"), "return_visits": _l("待办回访")}
# Each kind: the person it waits on, its level, and what makes it still open.
_HELD = {"service_records": (ServiceRecord.handler_id, ServiceRecord.confidentiality,
                             ServiceRecord.status.in_(OPEN_STATUSES)),
         "return_visits": (ReturnVisit.assignee_id, ReturnVisit.confidentiality,
                           ReturnVisit.status == ReturnVisitStatus.DUE)}


def _open_records(leaver: User):
    return select(ServiceRecord).where(ServiceRecord.handler_id == leaver.id,
                                       _HELD["service_records"][2])


def _due_visits(leaver: User):
    return select(ReturnVisit).where(ReturnVisit.assignee_id == leaver.id,
                                     _HELD["return_visits"][2])


def _count(query) -> int:
    return db.session.scalar(query.with_only_columns(func.count()).order_by(None))


class ServiceHandover:
    """The participant services.service.registration registers."""

    def kinds(self) -> dict[str, str]:
        return KINDS

    def held(self, leavers: Select, level: Level) -> dict[int, dict[str, int]]:
        """Open records (负责人) and due visits (回访人) of the `leavers`, at or below `level`,
        counted per person in one grouped query a kind."""
        found: dict[int, dict[str, int]] = {}
        for kind, (person, confidentiality, still_open) in _HELD.items():
            counted = (select(person, func.count()).where(person.in_(leavers), still_open,
                                                          confidentiality <= level)
                       .group_by(person))
            for user_id, count in db.session.execute(counted):
                found.setdefault(user_id, {})[kind] = count
        return found

    def above(self, leaver: User, level: Level) -> int:
        """Open records and due visits of the leaver more confidential than `level`."""
        return (_count(_open_records(leaver).where(ServiceRecord.confidentiality > level))
                + _count(_due_visits(leaver).where(ReturnVisit.confidentiality > level)))

    def hand_over(self, leaver: User, successor: User, actor: User) -> dict[str, int]:
        """Moves the records and visits; a 转交 event on each record; one audit event."""
        reason = _("离职交接：%(who)s → %(to)s", who=leaver.full_name, to=successor.full_name)
        rows = db.session.execute(_open_records(leaver).with_only_columns(
            ServiceRecord.id, ServiceRecord.number, ServiceRecord.confidentiality)
            .order_by(ServiceRecord.id)).all()
        now = utcnow()
        db.session.add_all(ServiceEvent(record_id=row.id, kind=ServiceEventKind.TRANSFERRED,
                                        at=now, user_id=actor.id, from_user_id=leaver.id,
                                        to_user_id=successor.id, reason=reason) for row in rows)
        if rows:
            db.session.execute(update(ServiceRecord).where(
                ServiceRecord.id.in_([row.id for row in rows])).values(
                handler_id=successor.id, updated_at=now).execution_options(
                synchronize_session=False))
        visits = db.session.execute(update(ReturnVisit).where(
            ReturnVisit.assignee_id == leaver.id, ReturnVisit.status == ReturnVisitStatus.DUE)
            .values(assignee_id=successor.id, updated_at=now)
            .execution_options(synchronize_session=False)).rowcount
        moved = {"service_records": len(rows), "return_visits": visits}
        if rows or visits:
            audit.record("service_handed_over", leaver, actor=actor, changes={
                "to": successor.full_name, **moved,
                "record_numbers": [row.number for row in rows]},
                level=max((row.confidentiality for row in rows), default=None))
        return moved
