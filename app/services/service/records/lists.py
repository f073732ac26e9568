"""The service record list (/service/records/): filters, search by customer name or record
number, sorting, keyset pages with a capped count, and the Excel export, on a query policy has
already scoped. The SLA state is read from the stored columns, never computed per row."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select, union
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Customer, User
from app.models.service.records import OPEN_STATUSES, PAUSED_STATUSES, ServiceRecord
from app.services.core import search
from app.services.core.pagination import Page, Sort, counted_page
from app.services.core.pii import mask_phone
from app.services.service.sla import state
from app.timeutil import local_wall_clock

OPEN = "open"  # the status filter's value for every open status (the manager's open page)

SORT_COLUMNS = {
    "created": Sort(ServiceRecord.id, True),
    "number": Sort(ServiceRecord.number, False, unique=True),
    "service_at": Sort(ServiceRecord.service_at, True),
    "updated": Sort(ServiceRecord.updated_at, True),
}


@dataclass
class RecordFilters:
    q: str = ""  # customer name or record number
    status: str = ""  # a ServiceStatus code, or OPEN
    sla: str = ""  # an SlaState code
    service_type: str = ""
    priority: str = ""
    handler: int | None = None
    breached: bool = False
    major: bool = False
    customer_id: int | None = None
    sort: str = "created"
    direction: str = ""
    after: str | None = None
    before: str | None = None

    def sort_spec(self) -> Sort:
        spec = SORT_COLUMNS.get(self.sort, SORT_COLUMNS["created"])
        if self.direction in ("asc", "desc"):
            return Sort(spec.column, self.direction == "desc", spec.unique)
        return spec


# Beyond this many matching customers, a search walks the records in the page's order and
# tests each against the matches (their ids hashed once) instead of collecting every matching
# record first: "合肥" matches 5,449 of 200,000 customers, 27,000 records to collect and sort.
BROAD_MATCH = 300


def _searched(query: Select, q: str, statuses: tuple = ()) -> Select:
    """Records whose customer's name (or number) matches `q` through the customers' search
    index, or whose number starts with it (a customer's number finds all their records).
    Collected by two indexed lookups joined by UNION (an OR of them would read the whole
    table to count a customer's few records): each matching customer's records, of the
    filtered `statuses` only (index by status and customer) when there is a status filter.
    A broad search with no status filter is the OR instead, walked in the page's order."""
    q = q.strip()[:100]
    customers = search.match(Customer, q)
    if customers is None:
        return query
    prefix = q.upper()
    matched = select(Customer.id).where(customers)
    by_number = and_(ServiceRecord.number >= prefix, ServiceRecord.number < prefix + "\uffff")
    if not statuses and _broad(matched):
        # `customer_id + 0`: no index on that side of the OR, so that neither planner turns
        # it back into collecting every match (SQLite's MULTI-INDEX OR) before the sort.
        return query.where(or_((ServiceRecord.customer_id + 0).in_(matched), by_number))
    by_customer = select(ServiceRecord.id).where(ServiceRecord.customer_id.in_(matched))
    if statuses:
        by_customer = by_customer.where(ServiceRecord.status.in_(statuses))
    return query.where(ServiceRecord.id.in_(
        union(by_customer, select(ServiceRecord.id).where(by_number))))


def _broad(matched: Select) -> bool:
    """More than BROAD_MATCH customers match (counted no further)."""
    capped = matched.limit(BROAD_MATCH + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped)) > BROAD_MATCH


def _sla_clause(code: str, now):
    """The WHERE clause of one SLA state (stored deadlines against `now`), None for no filter."""
    clauses = {state.SlaState.OVERDUE.value: lambda: state.overdue(now),
               state.SlaState.DUE_SOON.value: lambda: state.due_soon(now),
               state.SlaState.PAUSED.value: lambda: ServiceRecord.status.in_(PAUSED_STATUSES)}
    make = clauses.get(code)
    return make() if make else None


def filtered(query: Select, f: RecordFilters) -> Select:
    """Every filter and the search."""
    if f.status == OPEN:
        query = query.where(ServiceRecord.status.in_(OPEN_STATUSES))
    sla = _sla_clause(f.sla, local_wall_clock())
    if sla is not None:
        query = query.where(sla)
    for column, value in ((ServiceRecord.status, f.status if f.status != OPEN else ""),
                          (ServiceRecord.service_type, f.service_type),
                          (ServiceRecord.priority, f.priority),
                          (ServiceRecord.handler_id, f.handler),
                          (ServiceRecord.customer_id, f.customer_id)):
        if value:
            query = query.where(column == value)
    if f.breached:
        query = query.where(or_(ServiceRecord.response_breached.is_(True),
                                ServiceRecord.onsite_breached.is_(True),
                                ServiceRecord.resolution_breached.is_(True)))
    if f.major:
        query = query.where(ServiceRecord.major.is_(True))
    return _searched(query, f.q, _statuses(f.status))


def _statuses(status: str) -> tuple:
    """The statuses a status filter keeps (none: no filter)."""
    if status == OPEN:
        return tuple(OPEN_STATUSES)
    return (status,) if status else ()


@dataclass(frozen=True)
class RowExtras:
    """What a row shows beyond its record's own columns."""

    customer: str
    handler: str
    sla: str  # an SlaState code, from the stored deadlines (services/service/sla/state)
    follow_up_overdue: bool


@dataclass
class RecordListing:
    page: Page
    total: int
    capped: bool
    extras: dict[int, RowExtras]


def record_listing(scoped: Select, f: RecordFilters) -> RecordListing:
    """One page of the filtered list with its capped count (three statements whatever the
    page's size: the page with its count, and the names and states)."""
    page, total, capped = counted_page(filtered(scoped, f), ServiceRecord, f.sort_spec(),
                                       after=f.after, before=f.before)
    return RecordListing(page, total, capped, _extras([row.id for row in page.rows]))


def _extras(ids: list[int]) -> dict[int, RowExtras]:
    """The page's customer and 负责人 names, SLA states and overdue follow-ups, in one
    statement of columns (the states are SQL over the stored deadlines, as the filters)."""
    if not ids:
        return {}
    now = local_wall_clock()
    late = ServiceRecord.next_follow_up_due < now
    query = (select(ServiceRecord.id, Customer.name, User.full_name, state.expression(now), late)
             .join(Customer, Customer.id == ServiceRecord.customer_id)
             .outerjoin(User, User.id == ServiceRecord.handler_id)
             .where(ServiceRecord.id.in_(ids)))
    return {record_id: RowExtras(customer, handler or "", sla, bool(overdue))
            for record_id, customer, handler, sla, overdue in db.session.execute(query)}


def sla_labels() -> dict[str, str]:
    """The SLA states' labels by code."""
    return {choice.value: str(choice.label) for choice in state.SlaState}


def headers() -> list[str]:
    return [_("服务编号"), _("客户名称"), _("服务类型"), _("售后服务类别"), _("优先级"),
            _("服务时间"), _("处理进度"), _("首问责任人"), _("负责人"), _("联系电话"),
            _("重大"), _("响应时限"), _("解决时限"), _("SLA状态"), _("满意度评分")]


def export_table(scoped: Select, f: RecordFilters):
    """(headers, rows) of the whole filtered list in the page's order; the phone masked."""
    receiver, handler, customer = aliased(User), aliased(User), aliased(Customer)
    sort = f.sort_spec()
    R = ServiceRecord  # noqa: N806 (a table alias)
    query = (filtered(scoped, f).order_by(None).order_by(*sort.order_by(R, sort.descending))
             .join(customer, customer.id == R.customer_id)
             .join(receiver, receiver.id == R.first_receiver_id)
             .outerjoin(handler, handler.id == R.handler_id))
    columns = (R.number, customer.name, R.service_type, R.after_sales_kind, R.priority,
               R.service_at, R.status, receiver.full_name, handler.full_name, R.contact_phone,
               R.major, R.response_due, R.resolution_due, state.expression(local_wall_clock()),
               R.satisfaction)
    rows = db.session.execute(query.with_only_columns(*columns).execution_options(yield_per=2000))
    states = sla_labels()
    return headers(), (_row(row, states) for row in rows)


def _label(value) -> str | None:
    return str(value.label) if value is not None else None


def _moment(value) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M") if value else None


def _row(row, states) -> tuple:
    (number, customer, kind, after_sales, priority, at, status, receiver, handler, phone, major,
     response_due, resolution_due, sla, satisfaction) = row
    return (number, customer, _label(kind), _label(after_sales), _label(priority), _moment(at),
            _label(status), receiver, handler, mask_phone(phone), _("是") if major else "",
            _moment(response_due), _moment(resolution_due), states[sla], satisfaction)
