"""The statistics read from the per-day figures (days.py keeps them exact) for the readers whose
scope the summary's dimensions express (policy.service.statistics_dimensions): the GM and the
sales manager every department up to their clearance, the 客服 manager their department. A
period's figure is one SUM over its days' rows; nothing is scanned per record.

What is "as of now" (records past their follow-up due, visits past their date) is not a day's
figure: figures.py counts it live over the reader's scope, from the (status, due) indexes."""

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, or_, select, type_coerce

from app.extensions import db
from app.models.accounts import Level
from app.models.base import Money, Quantity
from app.models.service.records import ServiceRecord
from app.models.service.statistics import (
    ServiceStatisticsDay,
    ServiceStatisticsPartDay,
    ServiceStatisticsVisitDay,
)
from app.services.service.statistics import days, recount
from app.services.service.statistics.periods import Period


@dataclass(frozen=True)
class Dimensions:
    """A reader's statistics scope on the summary: one department (None: all of them) and the
    highest confidentiality counted."""

    department_id: int | None
    clearance: Level


def outside(scoped: Select, dims: Dimensions) -> Select | None:
    """The scoped records the summary does not count for `dims`: for a manager, those of
    other departments their scope still holds (their own registrations...), None when there
    are none (one probe of the department index)."""
    if dims.department_id is None:
        return None
    d = ServiceRecord.department_id
    rest = scoped.where(or_(d < dims.department_id, d > dims.department_id))
    found = db.session.scalar(select(exists(rest.with_only_columns(ServiceRecord.id))))
    return rest if found else None


def dimensioned(dims: Dimensions) -> Select:
    """The records the summary counts for `dims`, as a statement (the "as of now" figures of
    those records are counted live over it, from the open-follow-up index alone)."""
    r = ServiceRecord
    query = select(r.id).where(r.confidentiality <= dims.clearance)
    return query if dims.department_id is None else query.where(
        r.department_id == dims.department_id)


def _within(model, dims: Dimensions, period: Period) -> list:
    """The rows of the period within the reader's dimensions: the monthly rows of its whole
    months, the day rows of the rest (a week, a month's first or last days)."""
    start, end = period.start.date(), period.end.date()
    first = start if start.day == 1 else recount.next_month(start)
    last = recount.month_start(end)
    if first < last:
        spans = or_(and_(model.monthly.is_(True), model.day >= first, model.day < last),
                    and_(model.monthly.is_(False), model.day >= start, model.day < first),
                    and_(model.monthly.is_(False), model.day >= last, model.day < end))
    else:
        spans = and_(model.monthly.is_(False), model.day >= start, model.day < end)
    conditions = [spans, model.confidentiality <= dims.clearance]
    if dims.department_id is not None:
        conditions.append(model.department_id == dims.department_id)
    return conditions


def _sum(column):
    return func.coalesce(func.sum(column), 0)


TALLY_COLUMNS = ("records", "open", "rework", "response_breached", "resolution_breached",
                 "answered", "satisfied", "score_total")


def grouped(dims: Dimensions, period: Period) -> tuple[list, tuple[int, int]]:
    """(customer type, service type, kind, *Tally counts) of the groups with records, and the
    follow-ups (entered, late) of the period, in one statement."""
    days.settle(db.session)
    t = ServiceStatisticsDay
    keys = (t.customer_type, t.service_type, t.after_sales_kind)
    rows = db.session.execute(select(
        *keys, *(_sum(getattr(t, name)) for name in TALLY_COLUMNS), _sum(t.follow_ups),
        _sum(t.late_follow_ups)).where(*_within(t, dims, period)).group_by(*keys)).all()
    entered = sum(int(row[-2]) for row in rows)
    late = sum(int(row[-1]) for row in rows)
    return [row[:-2] for row in rows if row[3]], (entered, late)


def totals(dims: Dimensions, period: Period) -> tuple:
    """The Tally counts of the period in all."""
    days.settle(db.session)
    t = ServiceStatisticsDay
    return db.session.execute(select(*(_sum(getattr(t, name)) for name in TALLY_COLUMNS))
                              .where(*_within(t, dims, period))).one()


def parts(dims: Dimensions, period: Period) -> list:
    """(sold, name, spec, lines, quantity, amount) per part of the period."""
    days.settle(db.session)
    p = ServiceStatisticsPartDay
    return db.session.execute(select(
        p.sold, p.name, p.spec, _sum(p.lines), type_coerce(_sum(p.quantity), Quantity),
        type_coerce(_sum(p.amount), Money)).where(*_within(p, dims, period))
        .group_by(p.sold, p.name, p.spec)).all()


def visits(dims: Dimensions, period: Period) -> tuple[int, int, int, int]:
    """(due, done, answered, satisfied) of the period's return visits."""
    days.settle(db.session)
    v = ServiceStatisticsVisitDay
    row = db.session.execute(select(_sum(v.due), _sum(v.done), _sum(v.answered),
                                    _sum(v.satisfied)).where(*_within(v, dims, period))).one()
    return tuple(int(value) for value in row)
