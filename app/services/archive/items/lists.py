"""The catalogue (归档目录, /archive/items/): filters, the search (档号, 题名, 业务编号, 客户),
sorting, keyset pages with a capped count, and what each row shows beyond the item's own
columns, on a query policy has already scoped. The Excel export is in exports.py."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, and_, bindparam, exists, or_, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Customer, Department, User
from app.models.archive import ArchiveItem, ArchiveNumberVoid, RetentionRule
from app.models.archive.loans import ArchiveLoan, ArchiveLoanItem, LoanMethod, LoanStatus
from app.models.base import utcnow
from app.services.archive.items.search import searched
from app.services.core import audit_labels
from app.services.core.pagination import Page, Sort, counted_page
from app.services.core.record_kinds import filing_types
from app.services.core.search import Searched

SORT_COLUMNS = {
    # Items are inserted as they are filed: the id is the filing order, and every scope's
    # index (department, id) delivers it.
    "created": Sort(ArchiveItem.id, True),
    "number": Sort(ArchiveItem.archive_number, False, unique=True),
}


@dataclass
class CatalogueFilters:
    q: str = ""  # 档号 or 业务编号 (their beginning), 题名, or the customer's name
    kind: str = ""  # a record type
    department: int | None = None
    level: int | None = None
    year: int | None = None  # 年度 of the 档号
    state: str = ""
    retention: str = ""  # 保管期限 code (D10, Y…)
    expiry_from: date | None = None
    expiry_to: date | None = None
    location: str = ""
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


def _filtered(query: Select, f: CatalogueFilters) -> Searched:
    """Every filter, then the search with its plan."""
    equal = ((ArchiveItem.record_type, f.kind), (ArchiveItem.department_id, f.department),
             (ArchiveItem.confidentiality, f.level), (ArchiveItem.year, f.year),
             (ArchiveItem.state, f.state), (ArchiveItem.retention_code, f.retention),
             (ArchiveItem.location, f.location), (ArchiveItem.customer_id, f.customer_id))
    for column, value in equal:
        if value:
            query = query.where(column == value)
    if f.expiry_from:
        query = query.where(ArchiveItem.expiry_date >= f.expiry_from)
    if f.expiry_to:
        query = query.where(ArchiveItem.expiry_date <= f.expiry_to)
    return searched(query, f.q, f.sort_spec())


def filtered(query: Select, f: CatalogueFilters) -> Select:
    """Every filter and the search (the export's and the register print's query)."""
    return _filtered(query, f).query


@dataclass(frozen=True)
class RowExtras:
    """What a row shows beyond its item's own columns."""

    customer: str
    department: str
    filed_by: str
    received_by: str
    voided: bool
    borrower: str


@dataclass
class Listing:
    page: Page
    total: int
    capped: bool
    extras: dict[int, RowExtras]


def catalogue_listing(scoped: Select, f: CatalogueFilters) -> Listing:
    """One page of the filtered catalogue with its capped count, and its rows' names and
    borrowers (four statements whatever the page's size)."""
    found = _filtered(scoped, f)
    page, total, capped = counted_page(found.query, ArchiveItem, found.sort, after=f.after,
                                       before=f.before, one_walk=found.one_walk)
    return Listing(page, total, capped, row_extras([item.id for item in page.rows]))


# The loans out now (as of :now): approved online and copy loans before their due time, and
# paper loans handed out and not yet returned (overdue ones too: the paper is still out).
_BORROWERS = (
    select(ArchiveLoanItem.item_id, User.full_name)
    .join(ArchiveLoan, ArchiveLoan.id == ArchiveLoanItem.loan_id)
    .join(User, User.id == ArchiveLoan.borrower_id)
    .where(or_(ArchiveLoan.status == LoanStatus.LENT,
               and_(ArchiveLoan.status == LoanStatus.APPROVED,
                    ArchiveLoan.method != LoanMethod.PAPER,
                    ArchiveLoan.due_at > bindparam("now"))))
    .order_by(ArchiveLoan.id))


def current_borrowers(item_ids: list[int]) -> dict[int, str]:
    """Who has each item on loan now (借阅人, req 6: the catalogue shows who has what), by
    item id, several borrowers joined by 、."""
    if not item_ids:
        return {}
    rows = db.session.execute(_BORROWERS.where(ArchiveLoanItem.item_id.in_(item_ids)),
                              {"now": utcnow()})
    names: dict[int, list[str]] = {}
    for item_id, name in rows:
        if name not in names.setdefault(item_id, []):
            names[item_id].append(name)
    return {item_id: "、".join(people) for item_id, people in names.items()}


_FILER, _RECEIVER = aliased(User), aliased(User)
# Built once: composing the joins and aliases costs more than running the statement.
_EXTRAS = (
    select(ArchiveItem.id, Customer.name, Department.code, _FILER.full_name, _RECEIVER.full_name,
           exists().where(ArchiveNumberVoid.archive_number == ArchiveItem.archive_number))
    .join(Department, Department.id == ArchiveItem.department_id)
    .join(_FILER, _FILER.id == ArchiveItem.filed_by_id)
    .outerjoin(_RECEIVER, _RECEIVER.id == ArchiveItem.received_by_id)
    .outerjoin(Customer, Customer.id == ArchiveItem.customer_id))


def row_extras(ids: list[int]) -> dict[int, RowExtras]:
    """The rows' customer, department and people's names and whether the 档号 is void, in one
    statement of columns; then the borrowers."""
    if not ids:
        return {}
    rows = db.session.execute(_EXTRAS.where(ArchiveItem.id.in_(ids)))
    borrowers = current_borrowers(ids)
    return {item_id: RowExtras(customer or "", str(code.label), filed_by, received_by or "",
                               bool(void), borrowers.get(item_id, ""))
            for item_id, customer, code, filed_by, received_by, void in rows}


def kind_choices() -> list[tuple[str, str]]:
    """(record type, its name) of every fileable kind, as the audit trail names them."""
    names = audit_labels.names().object_types
    return [(kind, names.get(kind, kind)) for kind in filing_types()]


def kind_label(record_type: str) -> str:
    return audit_labels.names().object_types.get(record_type, record_type)


def department_choices() -> list[tuple[int, str]]:
    """(id, name) of every department (the filter's choices)."""
    return [(department.id, str(department.label)) for department in
            db.session.scalars(select(Department).order_by(Department.id))]


def retention_choices() -> list[str]:
    """The 保管期限 codes of the schedule (the filter's choices)."""
    return list(db.session.scalars(select(RetentionRule.code).distinct()
                                   .order_by(RetentionRule.code)))


def retention_label(item: ArchiveItem) -> str:
    """保管期限 as read: its code and its years, or 永久."""
    if item.retention_years is None:
        return _("%(code)s（永久）", code=item.retention_code)
    return _("%(code)s（%(n)d 年）", code=item.retention_code, n=item.retention_years)
