"""Customer lists: filters, search and sorting on a query policy has already scoped."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import (
    Customer,
    CustomerStatus,
    CustomerType,
    Department,
    DeptCode,
    Grade,
    Industry,
    Level,
    User,
)
from app.services.core import search
from app.services.core.labels import labels_of
from app.services.core.pagination import Page, Sort, kept_rows_page, rows_page
from app.services.core.pii import mask_phone
from app.timeutil import local_zone, to_local

SORT_COLUMNS = {
    "created": (Customer.id, True),
    "name": (Customer.name_sort, False),
    "updated": (Customer.updated_at, True),
    "grade": (Customer.grade, False),
}


# The list's 状态 filter as the URL writes it (/customers/?status=review), and what it selects.
STATUS_FILTERS = {"draft": CustomerStatus.DRAFT, "review": CustomerStatus.SUBMITTED,
                  "active": CustomerStatus.ACTIVE}


@dataclass
class CustomerFilters:
    q: str = ""
    status: str = ""  # a key of STATUS_FILTERS; anything else filters nothing
    type: str = ""
    grade: str = ""
    industry: str = ""
    owner: int | None = None
    level: int | None = None
    sort: str = "created"
    direction: str = ""  # "asc" / "desc"; empty: the column's natural direction
    after: str | None = None
    before: str | None = None

    def sort_spec(self) -> Sort:
        column, descending = SORT_COLUMNS.get(self.sort, SORT_COLUMNS["created"])
        if self.direction in ("asc", "desc"):
            descending = self.direction == "desc"
        return Sort(column, descending)


def filtered(query: Select, f: CustomerFilters) -> Select:
    """Applies the list's filters and search to an already scoped query."""
    clause = search.match(Customer, f.q)
    query = _narrowed(query, f)
    return query if clause is None else query.where(clause)


def _narrowed(query: Select, f: CustomerFilters) -> Select:
    """The list's filters (status, type, grade, industry, owner, level) applied."""
    for column, value in ((Customer.status, STATUS_FILTERS.get(f.status)),
                          (Customer.type, f.type), (Customer.grade, f.grade),
                          (Customer.industry, f.industry), (Customer.owner_id, f.owner),
                          (Customer.confidentiality, f.level)):
        if value:
            query = query.where(column == value)
    return query


class CustomerRow(NamedTuple):
    """A row of the list as the page shows it: labels in the request's language, the phone
    masked, the time in the company's zone. The page unpacks it in this order (no lookup per
    cell)."""

    id: int
    number: str
    name: str
    contact_name: str
    phone: str  # masked
    industry: str
    type: str
    grade: Grade  # a code, printed as such
    owner: str
    department: str
    level: Level  # the page shows it as a badge, made once per level
    status: CustomerStatus  # likewise; printed alone, its code
    updated: str  # yyyy-mm-dd hh:mm, local


@dataclass
class CustomerListing:
    page: Page  # its rows are _shown's; `rows` shows them
    total: int
    capped: bool
    rows: list[CustomerRow]


def _shown(counted: Select) -> Select:
    """What a row of the list reads: its columns (and the sorts' columns, which the page's
    cursors read), its owner's name and its department's code."""
    owner, department = aliased(User), aliased(Department)
    return (counted.with_only_columns(
        Customer.id, Customer.number, Customer.name, Customer.name_sort, Customer.contact_name,
        Customer.phone, Customer.industry, Customer.type, Customer.grade,
        Customer.confidentiality, Customer.status, Customer.updated_at,
        owner.full_name.label("owner"), department.code.label("department"))
        .outerjoin(owner, owner.id == Customer.owner_id)
        .outerjoin(department, department.id == Customer.department_id))


def customer_listing(scoped: Callable[[], Select], kept_as: str, viewer,
                     f: CustomerFilters) -> CustomerListing:
    """One page of the filtered list with its capped count. `scoped` builds the policy-scoped
    query; without a search the page's statement is built once per viewer and filters, kept
    under `kept_as` (the scope's name: the list's and the directory's differ)."""
    sort = f.sort_spec()
    if f.q:  # a search plans by the data (services.core.search): built on every request
        found = search.restrict(_narrowed(scoped(), f), Customer, f.q, sort)
        page, total, capped = rows_page(found.query, _shown, Customer, found.sort,
                                        after=f.after, before=f.before, one_walk=found.one_walk)
    else:
        extra = (f.status, f.type, f.grade, f.industry, f.owner, f.level)
        page, total, capped = kept_rows_page(kept_as, viewer, extra,
                                             lambda: _narrowed(scoped(), f), _shown, Customer,
                                             sort, after=f.after, before=f.before)
    return CustomerListing(page, total, capped, list_rows(page.rows))


def list_rows(rows: list) -> list[CustomerRow]:
    """The rows of _shown as the list shows them."""
    industry, kind = labels_of(Industry), labels_of(CustomerType)
    department, zone = labels_of(DeptCode), local_zone()
    return [CustomerRow(
        r.id, r.number, r.name, r.contact_name, mask_phone(r.phone), industry[r.industry],
        kind[r.type], r.grade, r.owner, department[r.department], r.confidentiality, r.status,
        r.updated_at.replace(tzinfo=UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M"))
        for r in rows]


def export_table(scoped: Select, f: CustomerFilters, directory: bool):
    """(headers, rows) of the whole filtered list, the same columns and masks as the page."""
    owner, department = aliased(User), aliased(Department)
    sort = f.sort_spec()
    query = (filtered(scoped, f).order_by(None).order_by(*sort.order_by(Customer, sort.descending))
             .join(owner, owner.id == Customer.owner_id)
             .join(department, department.id == Customer.department_id))
    if directory:
        headers = (_("客户编号"), _("客户名称"), _("客户等级"), _("负责人"), _("部门"), _("密级"))
        columns = (Customer.number, Customer.name, Customer.grade, owner.full_name,
                   department.code, Customer.confidentiality)
        convert = _directory_row
    else:
        headers = (_("客户编号"), _("客户名称"), _("联系人"), _("联系电话"), _("所属行业"),
                   _("客户类型"), _("客户等级"), _("负责人"), _("密级"), _("状态"), _("更新时间"))
        columns = (Customer.number, Customer.name, Customer.contact_name, Customer.phone,
                   Customer.industry, Customer.type, Customer.grade, owner.full_name,
                   Customer.confidentiality, Customer.status, Customer.updated_at)
        convert = _profile_row
    rows = db.session.execute(query.with_only_columns(*columns).execution_options(yield_per=2000))
    return headers, (convert(row) for row in rows)


def _directory_row(row) -> tuple:
    number, name, grade, owner, dept_code, level = row
    return number, name, grade, owner, DeptCode(dept_code).label, level


def _profile_row(row) -> tuple:
    number, name, contact, phone, industry, kind, grade, owner, level, status, updated = row
    return (number, name, contact, mask_phone(phone), industry, kind, grade, owner, level, status,
            to_local(updated).strftime("%Y-%m-%d %H:%M"))
