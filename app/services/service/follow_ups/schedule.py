"""When an open record's next follow-up is due: its last follow-up (or, before any, its 服务时间)
plus the cadence interval of the customer's grade, or of priority 高 when that is shorter
(004 L38). Stored on ServiceRecord.next_follow_up_due, so lists never compute it per row; None
once the record is 已关闭 or the customer gave up (客户放弃). 已完成 records are still followed
up until the customer confirms and the record is closed (L206)."""

from datetime import datetime, timedelta

from sqlalchemy import false, func, or_, select, update

from app.extensions import db
from app.models import Customer
from app.models.customers import Grade
from app.models.service.follow_ups import CadenceBasis, FollowUpCadence, ServiceFollowUp
from app.models.service.records import Priority, ServiceRecord, ServiceStatus

# Used when a rule row is missing (the migration seeds them all).
DEFAULT_DAYS = {CadenceBasis.GRADE_A: 7, CadenceBasis.GRADE_B: 14, CadenceBasis.GRADE_C: 30,
                CadenceBasis.HIGH: 7}
# Records read and written per round when a cadence edit recomputes them.
RECOMPUTE_BATCH = 1000
GRADE_BASIS = {Grade.A: CadenceBasis.GRADE_A, Grade.B: CadenceBasis.GRADE_B,
               Grade.C: CadenceBasis.GRADE_C}


def intervals() -> dict[CadenceBasis, int]:
    """The cadence table: days per basis, in one statement."""
    stored = dict(db.session.execute(
        select(FollowUpCadence.basis, FollowUpCadence.interval_days)).all())
    return {basis: stored.get(basis, days) for basis, days in DEFAULT_DAYS.items()}


def interval_for(grade: Grade, priority: Priority, table: dict[CadenceBasis, int]) -> int:
    """Days between follow-ups: the grade's, or 高's when the record is high priority and that
    is shorter (a high priority never makes follow-ups rarer)."""
    days = table[GRADE_BASIS.get(grade, CadenceBasis.GRADE_C)]
    if priority == Priority.HIGH:
        days = min(days, table[CadenceBasis.HIGH])
    return days


def follows_up(record: ServiceRecord) -> bool:
    """Whether the record still takes follow-ups: not 已关闭 and not given up (客户放弃)."""
    return record.status != ServiceStatus.CLOSED and not record.abandoned


def last_follow_up_at(record_id: int) -> datetime | None:
    """The 沟通时间 of the record's latest follow-up."""
    return db.session.scalar(select(func.max(ServiceFollowUp.communicated_at))
                             .where(ServiceFollowUp.record_id == record_id))


def next_due(record: ServiceRecord, table: dict[CadenceBasis, int] | None = None,
             last: datetime | None = None) -> datetime | None:
    """The record's next follow-up due time (local), or None when follow-ups have stopped."""
    if not follows_up(record):
        return None
    grade = db.session.scalar(select(Customer.grade).where(Customer.id == record.customer_id))
    days = interval_for(grade, record.priority, table or intervals())
    base = last or last_follow_up_at(record.id) or record.service_at
    return base + timedelta(days=days)


def refresh_next_due(record: ServiceRecord) -> datetime | None:
    """Stores the record's next follow-up due time (call after creating, assigning, changing
    the priority or status of a record, and after each follow-up); returns it."""
    db.session.flush()
    record.next_follow_up_due = next_due(record)
    return record.next_follow_up_due


def _affected(bases: set[CadenceBasis]):
    """The WHERE clause of the records whose interval may depend on these bases."""
    grades = [grade for grade, basis in GRADE_BASIS.items() if basis in bases]
    clauses = [Customer.grade.in_(grades)] if grades else []
    if CadenceBasis.HIGH in bases:
        clauses.append(ServiceRecord.priority == Priority.HIGH)
    return or_(*clauses) if clauses else false()


def recompute(bases: set[CadenceBasis], batch: int = RECOMPUTE_BATCH) -> int:
    """Stores the next due time of every record still followed up whose interval depends on
    `bases` (after a cadence edit), `batch` records per statement round; returns how many."""
    table, after, done = intervals(), 0, 0
    last = (select(ServiceFollowUp.record_id, func.max(ServiceFollowUp.communicated_at)
                   .label("last_at")).group_by(ServiceFollowUp.record_id).subquery())
    while True:
        rows = db.session.execute(
            select(ServiceRecord.id, ServiceRecord.service_at, ServiceRecord.priority,
                   Customer.grade, last.c.last_at)
            .join(Customer, Customer.id == ServiceRecord.customer_id)
            .outerjoin(last, last.c.record_id == ServiceRecord.id)
            .where(ServiceRecord.status != ServiceStatus.CLOSED,
                   ServiceRecord.abandoned.is_(False), ServiceRecord.id > after,
                   _affected(bases))
            .order_by(ServiceRecord.id).limit(batch)).all()
        if not rows:
            return done
        db.session.execute(update(ServiceRecord), [
            {"id": row.id, "next_follow_up_due": (row.last_at or row.service_at) + timedelta(
                days=interval_for(row.grade, row.priority, table))} for row in rows])
        after, done = rows[-1].id, done + len(rows)
