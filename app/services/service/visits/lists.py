"""The return visits list on a query policy has already scoped: filters (status with the derived
已逾期, kind, assignee or 未分配, due date range, customer), sorting, keyset pages with a capped
count, the page's names in one statement, and the Excel export."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Customer, User
from app.models.service.visits import ReturnVisit, ReturnVisitStatus
from app.services.core import search
from app.services.core.pagination import Page, Sort, counted_page

OVERDUE = "overdue"
UNASSIGNED = "none"
SORT_COLUMNS = {
    "due": Sort(ReturnVisit.due_date, False),
    "created": Sort(ReturnVisit.id, True),
}


@dataclass
class VisitFilters:
    status: str = ""  # a ReturnVisitStatus value, or "overdue" (due and past its date)
    kind: str = ""
    assignee: int | str | None = None  # a user id, or "none" for the unassigned
    start: date | None = None  # due date from
    end: date | None = None  # due date to
    q: str = ""  # customer name, number or contact
    sort: str = "due"
    direction: str = ""
    after: str | None = None
    before: str | None = None

    def sort_spec(self) -> Sort:
        spec = SORT_COLUMNS.get(self.sort, SORT_COLUMNS["due"])
        if self.direction in ("asc", "desc"):
            return Sort(spec.column, self.direction == "desc", spec.unique)
        return spec


def overdue(query: Select, today: date) -> Select:
    """Visits still due whose date has passed (已逾期), from the (status, due_date) indexes."""
    return query.where(ReturnVisit.status == ReturnVisitStatus.DUE,
                       ReturnVisit.due_date < today)


def due_within(query: Select, today: date, days: int) -> Select:
    """Visits due from today to `days` days ahead (not yet overdue)."""
    last = date.fromordinal(today.toordinal() + days)
    return query.where(ReturnVisit.status == ReturnVisitStatus.DUE,
                       ReturnVisit.due_date.between(today, last))


def filtered(query: Select, f: VisitFilters, today: date) -> Select:
    """The scoped query narrowed by the list's filters."""
    if f.status == OVERDUE:
        query = overdue(query, today)
    elif f.status in {s.value for s in ReturnVisitStatus}:
        query = query.where(ReturnVisit.status == f.status)
    if f.kind:
        query = query.where(ReturnVisit.kind == f.kind)
    if f.assignee == UNASSIGNED:
        query = query.where(ReturnVisit.assignee_id.is_(None))
    elif f.assignee:
        query = query.where(ReturnVisit.assignee_id == f.assignee)
    if f.start:
        query = query.where(ReturnVisit.due_date >= f.start)
    if f.end:
        query = query.where(ReturnVisit.due_date <= f.end)
    clause = search.match(Customer, f.q)
    if clause is not None:
        query = query.where(ReturnVisit.customer_id.in_(select(Customer.id).where(clause)))
    return query


@dataclass
class VisitListing:
    page: Page
    total: int
    capped: bool
    names: dict[int, tuple[str, str, str | None]]  # visit id: (customer no., name, assignee)


def listing(scoped: Select, f: VisitFilters, today: date) -> VisitListing:
    """One page of the filtered visits with the capped count, and the page's names."""
    page, total, capped = counted_page(filtered(scoped, f, today), ReturnVisit, f.sort_spec(),
                                       after=f.after, before=f.before)
    return VisitListing(page, total, capped, _names([row.id for row in page.rows]))


def _names(ids: list[int]) -> dict[int, tuple[str, str, str | None]]:
    """Customer number and name and the assignee's name of the page's visits, in one
    statement of columns."""
    if not ids:
        return {}
    query = (select(ReturnVisit.id, Customer.number, Customer.name, User.full_name)
             .join(Customer, Customer.id == ReturnVisit.customer_id)
             .outerjoin(User, User.id == ReturnVisit.assignee_id)
             .where(ReturnVisit.id.in_(ids)))
    return {row.id: (row.number, row.name, row.full_name) for row in db.session.execute(query)}


def headers() -> list[str]:
    return [_("回访编号"), _("回访类型"), _("客户编号"), _("客户名称"), _("计划回访日期"),
            _("状态"), _("回访人"), _("回访方式"), _("回访时间"), _("满意度"),
            _("再次合作意向"), _("访问记录"), _("主要异议诉求"), _("建议"), _("下次回访计划"),
            _("改期原因"), _("密级")]


def export_table(scoped: Select, f: VisitFilters, today: date):
    """(headers, rows) of the whole filtered list in the page's order."""
    assignee, customer = aliased(User), aliased(Customer)
    sort = f.sort_spec()
    query = (filtered(scoped, f, today).order_by(None)
             .order_by(*sort.order_by(ReturnVisit, sort.descending))
             .join(customer, customer.id == ReturnVisit.customer_id)
             .outerjoin(assignee, assignee.id == ReturnVisit.assignee_id))
    rows = db.session.execute(query.with_only_columns(
        ReturnVisit, customer.number, customer.name, assignee.full_name)
        .execution_options(yield_per=1000))
    return headers(), (_row(*row, today) for row in rows)


def status_label(visit: ReturnVisit, today: date) -> str:
    """The status as people read it: 已逾期 for a due visit past its date."""
    return _("已逾期") if visit.is_overdue(today) else str(visit.status.label)


def _label(value) -> str | None:
    return str(value.label) if value is not None else None


def _row(visit: ReturnVisit, number: str, name: str, assignee: str | None, today: date) -> tuple:
    return (visit.id, _label(visit.kind), number, name, visit.due_date.isoformat(),
            status_label(visit, today), assignee, _label(visit.method),
            visit.visited_at.strftime("%Y-%m-%d %H:%M") if visit.visited_at else None,
            visit.satisfaction, _label(visit.intention), visit.record, visit.objections,
            visit.suggestions, visit.next_plan, visit.reason, _label(visit.confidentiality))
