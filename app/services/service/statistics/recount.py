"""Recounting the statistics summary from the live rows: a range of days (each an INSERT …
SELECT with a GROUP BY over those days' rows only), then the months that hold them (their
monthly rows, summed from the day rows), and the whole summary from scratch. days.py decides
which days; this module only counts."""

from datetime import date, datetime, timedelta

from sqlalchemy import Date, and_, case, cast, delete, func, literal, select, true
from sqlalchemy.orm import Session

from app.models import Customer
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import OPEN_STATUSES, ServicePart, ServiceRecord
from app.models.service.statistics import (
    ServiceStatisticsDay,
    ServiceStatisticsPartDay,
    ServiceStatisticsVisitDay,
)
from app.models.service.visits import ReturnVisit, ReturnVisitStatus
from app.services.service import satisfaction

KEY_COLUMNS = ("day", "department_id", "confidentiality", "customer_type", "service_type",
               "after_sales_kind")
# Each table's dimensions (beside the day) and counts, for the monthly roll-up.
ROLLED = {
    ServiceStatisticsDay: (KEY_COLUMNS[1:], (
        "records", "open", "rework", "response_breached", "resolution_breached", "answered",
        "satisfied", "score_total", "follow_ups", "late_follow_ups")),
    ServiceStatisticsPartDay: (("department_id", "confidentiality", "sold", "name", "spec"),
                               ("lines", "quantity", "amount")),
    ServiceStatisticsVisitDay: (("department_id", "confidentiality"),
                                ("due", "done", "answered", "satisfied")),
}


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def day_of(column, session: Session):
    """The SQL day of a local datetime column, as the Date type stores it."""
    return cast(column, Date) if _postgres(session) else func.date(column)


def month_of(column, session: Session):
    """The first day of the month of a Date column, as the Date type stores it."""
    if _postgres(session):
        return cast(func.date_trunc("month", column), Date)
    return func.date(column, "start of month")


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _between(column, start: date, end: date):
    """`column` (a datetime) on the days from `start` to before `end`."""
    return and_(column >= datetime.combine(start, datetime.min.time()),
                column < datetime.combine(end, datetime.min.time()))


def _flag(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _clear_days(session: Session, model, start: date, end: date) -> None:
    session.execute(delete(model).where(model.monthly.is_(False), model.day >= start,
                                        model.day < end)
                    .execution_options(synchronize_session=False))


def recompute(session: Session, start: date, end: date) -> None:
    """Replaces the record, follow-up and part rows of the days from `start` to before `end`
    by what the live rows count, then their months' rows."""
    for model in (ServiceStatisticsDay, ServiceStatisticsPartDay):
        _clear_days(session, model, start, end)
    session.execute(_records_insert(session, start, end))
    session.execute(_follow_ups_insert(session, start, end))
    session.execute(_parts_insert(session, start, end))
    for model in (ServiceStatisticsDay, ServiceStatisticsPartDay):
        roll_up(session, model, start, end)


def recompute_visits(session: Session, start: date, end: date) -> None:
    """Replaces the visit rows of the days from `start` to before `end`, then their months'."""
    v, t = ReturnVisit, ServiceStatisticsVisitDay
    _clear_days(session, t, start, end)
    due = select(v.due_date, v.department_id, v.confidentiality, func.count(),
                 _flag(v.status == ReturnVisitStatus.DONE), literal(0), literal(0)).where(
        v.due_date >= start, v.due_date < end).group_by(
        v.due_date, v.department_id, v.confidentiality)
    visited = day_of(v.visited_at, session)
    answered = select(visited, v.department_id, v.confidentiality, literal(0), literal(0),
                      satisfaction.sql_answered(v.satisfaction),
                      satisfaction.sql_satisfied(v.satisfaction)).where(
        _between(v.visited_at, start, end)).group_by(visited, v.department_id, v.confidentiality)
    columns = ("day", "department_id", "confidentiality", "due", "done", "answered", "satisfied")
    for query in (due, answered):
        session.execute(t.__table__.insert().from_select(columns, query))
    roll_up(session, t, start, end)


def roll_up(session: Session, model, start: date, end: date) -> None:
    """Replaces the monthly rows of the months that hold the days from `start` to before `end`
    by the sums of those months' day rows (one GROUP BY over at most a few months' rows)."""
    first, last = month_start(start), next_month(end - timedelta(days=1))
    session.execute(delete(model).where(model.monthly.is_(True), model.day >= first,
                                        model.day < last)
                    .execution_options(synchronize_session=False))
    dimensions, counts = ROLLED[model]
    month = month_of(model.day, session)
    keys = [getattr(model, name) for name in dimensions]
    query = select(month, true(), *keys, *(func.sum(getattr(model, name)) for name in counts)) \
        .where(model.monthly.is_(False), model.day >= first, model.day < last) \
        .group_by(month, *keys)
    session.execute(model.__table__.insert().from_select(
        ("day", "monthly", *dimensions, *counts), query))


def _record_keys(session: Session, moment):
    """The day of `moment` and the record's dimensions (the record joined to its customer)."""
    r = ServiceRecord
    return (day_of(moment, session), r.department_id, r.confidentiality, Customer.type,
            r.service_type, r.after_sales_kind)


def _records_insert(session: Session, start: date, end: date):
    r = ServiceRecord
    keys = _record_keys(session, r.service_at)
    query = select(*keys, func.count(), _flag(r.status.in_(OPEN_STATUSES)),
                   func.count(r.rework_of_id), _flag(r.response_breached),
                   _flag(r.resolution_breached), satisfaction.sql_answered(r.satisfaction),
                   satisfaction.sql_satisfied(r.satisfaction),
                   satisfaction.sql_total(r.satisfaction)).join(
        Customer, Customer.id == r.customer_id).where(
        _between(r.service_at, start, end)).group_by(*keys)
    return ServiceStatisticsDay.__table__.insert().from_select(
        (*KEY_COLUMNS, "records", "open", "rework", "response_breached", "resolution_breached",
         "answered", "satisfied", "score_total"), query)


def _follow_ups_insert(session: Session, start: date, end: date):
    f, r = ServiceFollowUp, ServiceRecord
    keys = _record_keys(session, f.communicated_at)
    query = select(*keys, func.count(), _flag(f.late)).select_from(f).join(
        r, r.id == f.record_id).join(Customer, Customer.id == r.customer_id).where(
        _between(f.communicated_at, start, end)).group_by(*keys)
    return ServiceStatisticsDay.__table__.insert().from_select(
        (*KEY_COLUMNS, "follow_ups", "late_follow_ups"), query)


def _parts_insert(session: Session, start: date, end: date):
    p, r = ServicePart, ServiceRecord
    keys = (day_of(r.service_at, session), r.department_id, r.confidentiality, p.sold, p.name,
            p.spec)
    query = select(*keys, func.count(), func.coalesce(func.sum(p.quantity), 0),
                   func.coalesce(func.sum(p.amount), 0)).select_from(p).join(
        r, r.id == p.record_id).where(_between(r.service_at, start, end)).group_by(*keys)
    return ServiceStatisticsPartDay.__table__.insert().from_select(
        ("day", "department_id", "confidentiality", "sold", "name", "spec", "lines", "quantity",
         "amount"), query)


def _as_day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def rebuild(session: Session) -> int:
    """Recomputes every day and month from scratch (the records', the follow-ups' and the
    visits' first to last day); the number of days the range spans. The caller commits."""
    bounds = [session.execute(select(func.min(column), func.max(column))).one() for column in
              (ServiceRecord.service_at, ServiceFollowUp.communicated_at, ReturnVisit.due_date,
               ReturnVisit.visited_at)]
    found = [_as_day(value) for pair in bounds for value in pair if value is not None]
    for model in ROLLED:
        session.execute(delete(model).execution_options(synchronize_session=False))
    if not found:
        return 0
    start, end = min(found), max(found) + timedelta(days=1)
    recompute(session, start, end)
    recompute_visits(session, start, end)
    return (end - start).days
