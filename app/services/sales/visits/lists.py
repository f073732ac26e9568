"""Visit lists on queries policy has already scoped: the plans and reports list with its
filters, the week's plans (表5-28), one day's visits per salesperson (表5-30 拜访日报) and the
overdue count. Dates are local; visit times are stored in UTC and compared by local day."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, partial
from itertools import groupby

from sqlalchemy import Select, inspect
from sqlalchemy.orm import aliased, joinedload

from app.extensions import db
from app.models import Customer, User, VisitPlan, VisitReport, VisitStatus
from app.services.core import search
from app.services.core.loading import load_related
from app.services.core.pagination import Page, Sort, kept_rows_page
from app.services.sales.visits.operations import local_day_bounds

OVERDUE = "overdue"
# A week or a day of a whole department stays readable below this many rows.
DAY_CAP = 500


@cache
def page_loads(model) -> tuple:
    """The loader options of what a plan's or a report's page shows: the customer, the
    salesperson (and a report's plan). One tuple per model: policy.load builds its statement
    once for it."""
    options = (joinedload(model.customer), joinedload(model.owner))
    return (*options, joinedload(VisitReport.plan)) if model is VisitReport else options


def load_page(record: VisitPlan | VisitReport):
    """A plan or report with what its page shows, in one statement (none when policy.load
    brought it with page_loads and no rollback has expired it since)."""
    if inspect(record).unloaded & {"customer", "owner", "plan"}:
        load_related([record], *page_loads(type(record)))
    return record


@dataclass
class VisitFilters:
    kind: str = "plans"
    start: date | None = None
    end: date | None = None
    q: str = ""
    status: str = ""  # a VisitStatus value, or "overdue" (planned, date passed)
    owner: int | None = None
    after: str | None = None
    before: str | None = None


@dataclass
class VisitListing:
    page: Page  # its rows are _shown's
    total: int
    capped: bool


def _searched(query: Select, model, q: str) -> Select:
    """Rows whose customer's name, number or contact contains every term of `q`."""
    clause = search.match(Customer, q)
    if clause is None:
        return query
    return query.join(Customer, Customer.id == model.customer_id).where(clause)


def plan_query(scoped: Select, f: VisitFilters, today: date) -> Select:
    """The plans of an already scoped query narrowed by the list's filters."""
    query = scoped
    if f.start:
        query = query.where(VisitPlan.planned_date >= f.start)
    if f.end:
        query = query.where(VisitPlan.planned_date <= f.end)
    if f.status == OVERDUE:
        query = overdue(query, today)
    elif f.status in {s.value for s in VisitStatus}:
        query = query.where(VisitPlan.status == f.status)
    if f.owner:
        query = query.where(VisitPlan.owner_id == f.owner)
    return _searched(query, VisitPlan, f.q)


def report_query(scoped: Select, f: VisitFilters) -> Select:
    """The reports of an already scoped query narrowed by the list's filters (local days)."""
    query = scoped
    if f.start:
        query = query.where(VisitReport.visited_at >= local_day_bounds(f.start, f.start)[0])
    if f.end:
        query = query.where(VisitReport.visited_at < local_day_bounds(f.end, f.end)[1])
    if f.owner:
        query = query.where(VisitReport.owner_id == f.owner)
    return _searched(query, VisitReport, f.q)


def overdue(query: Select, today: date) -> Select:
    """Plans still planned whose date has passed (逾期未拜访)."""
    return query.where(VisitPlan.status == VisitStatus.PLANNED, VisitPlan.planned_date < today)


def listing(scoped: Callable[[], Select], viewer, f: VisitFilters, today: date) -> VisitListing:
    """One page of plans (by date) or reports (by visit time), newest first, with the count.
    `scoped` builds the policy-scoped query; the page's statement is built once per viewer,
    filters and day (the overdue filter reads it)."""
    if f.kind == "reports":
        model, sort = VisitReport, Sort(VisitReport.visited_at, True)
    else:
        model, sort = VisitPlan, Sort(VisitPlan.planned_date, True)

    def counted() -> Select:
        return (report_query(scoped(), f) if model is VisitReport
                else plan_query(scoped(), f, today))

    extra = (f.kind, f.start, f.end, f.q, f.status, f.owner, today)
    return VisitListing(*kept_rows_page("sales.visits", viewer, extra, counted,
                                        partial(_shown, model), model, sort,
                                        after=f.after, before=f.before))


def _shown(model, counted: Select) -> Select:
    """What a row of the list reads: the plan's or report's columns, its customer's name and
    its owner's."""
    customer, owner = aliased(Customer), aliased(User)
    columns = ((VisitReport.visited_at, VisitReport.contact_met, VisitReport.interest,
                VisitReport.next_meeting_date) if model is VisitReport else
               (VisitPlan.planned_date, VisitPlan.customer_type, VisitPlan.expected_time,
                VisitPlan.contact_name, VisitPlan.status))
    return (counted.with_only_columns(
        model.id, model.customer_id, model.purpose, *columns,
        customer.name.label("customer_name"), owner.full_name.label("owner_name"))
        .join(customer, customer.id == model.customer_id)
        .join(owner, owner.id == model.owner_id))


def monday_of(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


@dataclass
class Week:
    monday: date
    days: list[tuple[date, list[VisitPlan]]]
    truncated: bool

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def week_plans(scoped: Select, day: date, owner: int | None = None) -> Week:
    """The plans of the week (Monday to Sunday) holding `day`, day by day, in plan order."""
    monday = monday_of(day)
    query = scoped.where(VisitPlan.planned_date >= monday,
                         VisitPlan.planned_date <= monday + timedelta(days=6))
    if owner:
        query = query.where(VisitPlan.owner_id == owner)
    query = (query.options(joinedload(VisitPlan.customer), joinedload(VisitPlan.owner))
             .order_by(VisitPlan.planned_date, VisitPlan.id).limit(DAY_CAP + 1))
    plans = list(db.session.scalars(query).unique())
    by_day = {d: list(rows) for d, rows in groupby(plans[:DAY_CAP], key=lambda p: p.planned_date)}
    days = [(monday + timedelta(days=i), by_day.get(monday + timedelta(days=i), []))
            for i in range(7)]
    return Week(monday, days, len(plans) > DAY_CAP)


@dataclass
class DailyLog:
    day: date
    groups: list[tuple[object, list[VisitReport]]]  # (salesperson, their reports)
    open_plans: list[VisitPlan] = field(default_factory=list)
    truncated: bool = False


def daily_log(reports: Select, plans: Select, day: date, owner: int | None = None) -> DailyLog:
    """One local day's visit reports per salesperson, and that day's plans not yet visited."""
    start, end = local_day_bounds(day, day)
    query = reports.where(VisitReport.visited_at >= start, VisitReport.visited_at < end)
    open_query = plans.where(VisitPlan.planned_date == day,
                             VisitPlan.status == VisitStatus.PLANNED)
    if owner:
        query = query.where(VisitReport.owner_id == owner)
        open_query = open_query.where(VisitPlan.owner_id == owner)
    query = (query.options(joinedload(VisitReport.customer), joinedload(VisitReport.owner))
             .order_by(VisitReport.owner_id, VisitReport.visited_at, VisitReport.id)
             .limit(DAY_CAP + 1))
    rows = list(db.session.scalars(query).unique())
    groups = [(group[0].owner, group) for group in
              (list(g) for _, g in groupby(rows[:DAY_CAP], key=lambda r: r.owner_id))]
    open_plans = list(db.session.scalars(
        open_query.options(joinedload(VisitPlan.customer), joinedload(VisitPlan.owner))
        .order_by(VisitPlan.owner_id, VisitPlan.id).limit(DAY_CAP)).unique())
    return DailyLog(day, groups, open_plans, len(rows) > DAY_CAP)
