"""计划拜访次数与实际执行情况: per customer and month of a year, the visits planned (plans not
cancelled, by planned date) and made (visit reports, by local visit date). Counted by the
database on queries policy has already scoped."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, case, func, select, union

from app.extensions import db
from app.models import Contact, Customer, VisitPlan, VisitReport, VisitStatus
from app.services.core import search
from app.services.core.pii import mask_phone
from app.services.sales.visits.operations import to_utc

MONTHS = range(1, 13)
# Customers on the yearly overview page; a search narrows a larger scope.
GRID_CAP = 300


@dataclass
class MonthGrid:
    planned: list[int]
    actual: list[int]

    @property
    def planned_total(self) -> int:
        return sum(self.planned)

    @property
    def actual_total(self) -> int:
        return sum(self.actual)


def _month_starts(year: int) -> list[date]:
    """The first day of each month of the year, and of the next year."""
    return [date(year, m, 1) for m in MONTHS] + [date(year + 1, 1, 1)]


def year_bounds(year: int) -> tuple[date, date, datetime, datetime]:
    """The year as [start, end) dates, and as [start, end) stored UTC times of its local days."""
    first, last = date(year, 1, 1), date(year + 1, 1, 1)
    return first, last, _utc_midnight(first), _utc_midnight(last)


def _utc_midnight(day: date) -> datetime:
    return to_utc(datetime.combine(day, datetime.min.time()))


def _plan_scope(plans: Select, year: int) -> tuple[Select, object, list]:
    """Plans that count as planned in the year, their date column and the month bounds."""
    starts = _month_starts(year)
    query = plans.where(VisitPlan.status != VisitStatus.CANCELLED,
                        VisitPlan.planned_date >= starts[0], VisitPlan.planned_date < starts[-1])
    return query, VisitPlan.planned_date, starts


def _report_scope(reports: Select, year: int) -> tuple[Select, object, list]:
    """Reports of the year's local days, their time column and the months' UTC bounds."""
    starts = [_utc_midnight(d) for d in _month_starts(year)]
    query = reports.where(VisitReport.visited_at >= starts[0], VisitReport.visited_at < starts[-1])
    return query, VisitReport.visited_at, starts


def _per_month(scoped: tuple[Select, object, list], model, customer_ids) -> dict[int, list[int]]:
    """{customer_id: [count per month]} of the scoped rows of `customer_ids`."""
    query, column, starts = scoped
    months = [func.sum(case((and_(column >= a, column < b), 1), else_=0))
              for a, b in zip(starts, starts[1:], strict=False)]
    query = (query.where(model.customer_id.in_(customer_ids)).order_by(None)
             .with_only_columns(model.customer_id, *months).group_by(model.customer_id))
    return {row[0]: [int(n or 0) for n in row[1:]] for row in db.session.execute(query)}


def month_grids(plans: Select, reports: Select, year: int,
                customer_ids: list[int]) -> dict[int, MonthGrid]:
    """{customer_id: MonthGrid} for the year, from scoped plan and report queries."""
    if not customer_ids:
        return {}
    planned = _per_month(_plan_scope(plans, year), VisitPlan, customer_ids)
    actual = _per_month(_report_scope(reports, year), VisitReport, customer_ids)
    return {cid: MonthGrid(planned.get(cid, [0] * 12), actual.get(cid, [0] * 12))
            for cid in customer_ids}


def visited_customers(plans: Select, reports: Select, year: int, q: str = "",
                      owner: int | None = None) -> tuple[list[Customer], bool]:
    """The customers with plans or reports in the year (by name), and whether the list was cut
    at GRID_CAP."""
    plan_query, report_query = _plan_scope(plans, year)[0], _report_scope(reports, year)[0]
    if owner:
        plan_query = plan_query.where(VisitPlan.owner_id == owner)
        report_query = report_query.where(VisitReport.owner_id == owner)
    ids = union(plan_query.with_only_columns(VisitPlan.customer_id).order_by(None),
                report_query.with_only_columns(VisitReport.customer_id).order_by(None)).subquery()
    query = select(Customer).where(Customer.id.in_(select(ids.c.customer_id)))
    clause = search.match(Customer, q)
    if clause is not None:
        query = query.where(clause)
    query = query.order_by(Customer.name_sort, Customer.id).limit(GRID_CAP + 1)
    found = list(db.session.scalars(query).unique())
    return found[:GRID_CAP], len(found) > GRID_CAP


@dataclass
class Visitee:
    """拜访对象 and 联系电话 of a customer: its primary contact, else the customer's contact."""

    name: str
    phone: str  # masked


def visitees(customers: list[Customer]) -> dict[int, Visitee]:
    """The person to visit at each customer, with the phone masked."""
    ids = [c.id for c in customers]
    query = select(Contact).where(Contact.customer_id.in_(ids), Contact.is_primary.is_(True))
    primary = {c.customer_id: c for c in db.session.scalars(query)} if ids else {}
    result = {}
    for customer in customers:
        contact = primary.get(customer.id)
        if contact is not None:
            result[customer.id] = Visitee(contact.name, mask_phone(contact.mobile or contact.phone))
        else:
            result[customer.id] = Visitee(customer.contact_name, mask_phone(customer.phone))
    return result
