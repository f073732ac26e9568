"""The contract register's list (表5-17 / 表5-19): filters, search, sorting and the Excel
export, on a query policy has already scoped."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Contract, Customer, Department, DeptCode, User
from app.services.core import search
from app.services.core.pagination import Page, Sort, kept_rows_page, rows_page
from app.services.core.pii import mask_phone
from app.timeutil import to_local

SORT_COLUMNS = {
    "created": Sort(Contract.id, True),
    "number": Sort(Contract.number, False, unique=True),
    "sign_date": Sort(Contract.sign_date, True),
    "updated": Sort(Contract.updated_at, True),
}


@dataclass
class ContractFilters:
    q: str = ""  # contract number or name
    customer: str = ""  # customer name or number
    customer_id: int | None = None
    status: str = ""
    kind: str = ""
    owner: int | None = None
    sign_from: date | None = None
    sign_to: date | None = None
    sort: str = "created"
    direction: str = ""
    after: str | None = None
    before: str | None = None

    def sort_spec(self) -> Sort:
        spec = SORT_COLUMNS.get(self.sort, SORT_COLUMNS["created"])
        if self.direction in ("asc", "desc"):
            return Sort(spec.column, self.direction == "desc", spec.unique)
        return spec


def _narrowed(query: Select, f: ContractFilters) -> Select:
    """Every filter but the contract search (status, kind, owner, customer, sign dates)."""
    for column, value in ((Contract.status, f.status), (Contract.kind, f.kind),
                          (Contract.owner_id, f.owner), (Contract.customer_id, f.customer_id)):
        if value:
            query = query.where(column == value)
    if f.sign_from:
        query = query.where(Contract.sign_date >= f.sign_from)
    if f.sign_to:
        query = query.where(Contract.sign_date <= f.sign_to)
    customers = search.match(Customer, f.customer)
    if customers is not None:
        query = query.where(Contract.customer_id.in_(select(Customer.id).where(customers)))
    return query


def filtered(query: Select, f: ContractFilters) -> Select:
    clause = search.match(Contract, f.q)
    query = _narrowed(query, f)
    return query if clause is None else query.where(clause)


@dataclass
class ContractListing:
    page: Page  # its rows are _shown's
    total: int
    capped: bool


def _shown(counted: Select) -> Select:
    """What a row of the list reads: its columns (and the sorts', which the page's cursors
    read), its customer's name and its owner's."""
    customer, owner = aliased(Customer), aliased(User)
    return (counted.with_only_columns(
        Contract.id, Contract.number, Contract.name, Contract.kind, Contract.sign_date,
        Contract.total_amount, Contract.status, Contract.confidentiality, Contract.created_at,
        Contract.updated_at, customer.name.label("customer_name"),
        owner.full_name.label("owner_name"))
        .join(customer, customer.id == Contract.customer_id)
        .join(owner, owner.id == Contract.owner_id))


def contract_listing(scoped: Callable[[], Select], viewer, f: ContractFilters) -> ContractListing:
    """One page of the filtered list with its capped count. `scoped` builds the policy-scoped
    query; without a search the page's statement is built once per viewer and filters."""
    sort = f.sort_spec()
    if f.q:  # a search plans by the data (services.core.search): built on every request
        found = search.restrict(_narrowed(scoped(), f), Contract, f.q, sort)
        return ContractListing(*rows_page(found.query, _shown, Contract, found.sort,
                                          after=f.after, before=f.before,
                                          one_walk=found.one_walk))
    extra = (f.customer, f.customer_id, f.status, f.kind, f.owner, f.sign_from, f.sign_to)
    return ContractListing(*kept_rows_page("sales.contracts", viewer, extra,
                                           lambda: _narrowed(scoped(), f), _shown, Contract,
                                           sort, after=f.after, before=f.before))


def headers() -> list[str]:
    return [_("合同编号"), _("合同名称"), _("合同种类"), _("客户名称"), _("客户电话"),
            _("签订日期"), _("合同开始日期"), _("合同结束日期"), _("合同金额"), _("交货日期"),
            _("负责人"), _("部门"), _("密级"), _("状态"), _("更新时间")]


def export_table(scoped: Select, f: ContractFilters):
    """(headers, rows) of the whole filtered list in the page's order; the customer's phone
    masked as everywhere."""
    owner, department, customer = aliased(User), aliased(Department), aliased(Customer)
    sort = f.sort_spec()
    query = (filtered(scoped, f).order_by(None).order_by(*sort.order_by(Contract, sort.descending))
             .join(customer, customer.id == Contract.customer_id)
             .join(owner, owner.id == Contract.owner_id)
             .join(department, department.id == Contract.department_id))
    columns = (Contract.number, Contract.name, Contract.kind, customer.name, customer.phone,
               Contract.sign_date, Contract.start_date, Contract.end_date, Contract.total_amount,
               Contract.delivery_date, owner.full_name, department.code, Contract.confidentiality,
               Contract.status, Contract.updated_at)
    rows = db.session.execute(query.with_only_columns(*columns).execution_options(yield_per=2000))
    label = _labels()
    return headers(), (_row(row, label) for row in rows)


def _labels():
    """Label of a choice, translated once per export rather than once per cell."""
    known: dict = {}

    def label(value) -> str:
        key = (type(value), value)  # DeptCode.SALES == ContractKind.SALES == "sales"
        if key not in known:
            known[key] = str(value.label)
        return known[key]

    return label


def _row(row, label) -> tuple:
    (number, name, kind, customer, phone, signed, start, end, amount, delivery, owner, dept,
     level, status, updated) = row
    return (number, name, label(kind), customer, mask_phone(phone), _day(signed), _day(start),
            _day(end), amount, _day(delivery), owner, label(DeptCode(dept)), label(level),
            label(status), to_local(updated).strftime("%Y-%m-%d %H:%M"))


def _day(value: date | None) -> str | None:
    """A date as text: openpyxl styles every date cell, which costs ~0.15 ms a cell."""
    return value.isoformat() if value else None
