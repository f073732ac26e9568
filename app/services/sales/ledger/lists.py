"""The sales ledger list: filters, totals and the export, on a query policy has already scoped."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, case, func, or_, select, type_coerce
from sqlalchemy.orm import aliased, selectinload

from app import policy
from app.extensions import db
from app.models import Contract, Customer, EntryKind, SalesEntry, User
from app.models.base import Money
from app.policy import Action
from app.services.core import data_versions
from app.services.core.loading import load_related, read_rows
from app.services.core.pagination import Page, Sort, kept_rows_page
from app.services.core.viewer_statements import for_viewer
from app.services.sales.ledger.operations import Allocation, allocate, mask_phones_in
from app.services.sales.ledger.payments import EFFECTIVE
from app.services.sales.ledger.reversals import reversal_state, reversed_ids


@dataclass
class LedgerFilters:
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    customer: int | None = None
    contract: int | None = None
    kind: str = ""
    owner: int | None = None
    direction: str = ""  # "asc": oldest first; newest first otherwise
    after: str | None = None
    before: str | None = None

    def sort_spec(self) -> Sort:
        return Sort(SalesEntry.entry_date, self.direction != "asc")


def filtered(scoped: Select, f: LedgerFilters) -> Select:
    """The filters applied to a query of SalesEntry that policy has scoped."""
    query = scoped
    if f.date_from:
        query = query.where(SalesEntry.entry_date >= f.date_from)
    if f.date_to:
        query = query.where(SalesEntry.entry_date <= f.date_to)
    for column, value in ((SalesEntry.customer_id, f.customer), (SalesEntry.kind, f.kind),
                          (SalesEntry.contract_id, f.contract), (SalesEntry.owner_id, f.owner)):
        if value:
            query = query.where(column == value)
    if f.q:
        names = select(Customer.id).where(Customer.name.contains(f.q, autoescape=True))
        query = query.where(or_(SalesEntry.customer_id.in_(names),
                                SalesEntry.product.contains(f.q, autoescape=True),
                                SalesEntry.invoice_no.contains(f.q, autoescape=True)))
    return query


# services.core.data_versions: a whole scope's totals and its salespeople are read from every
# row of it (a department's ledger only grows), so they are kept until a ledger row is
# written. Not customers or users: a sign-in writes its user, and keeping anything past it
# would be kept for seconds; what depends on them (a search by customer name, the owners'
# names) is read on each visit.
VERSION = "sales_ledger"


def watch_writes() -> None:
    """Writes to the ledger's rows move VERSION on (the sales department's plug_in calls
    this)."""
    data_versions.watch(VERSION, SalesEntry.__table__)


# What a row shows besides its own columns: its customer, contract and salesperson.
ROW_LOADS = (selectinload(SalesEntry.customer), selectinload(SalesEntry.contract),
             selectinload(SalesEntry.owner))


def load_row(entry: SalesEntry) -> SalesEntry:
    """One row with what its pages (edit, reversal) show of it."""
    load_related([entry], *ROW_LOADS)
    return entry


@dataclass
class LedgerListing:
    page: Page  # its rows are _shown's
    total: int
    capped: bool
    allocation: dict[int, Allocation]
    sums: dict[str, Decimal]
    reversed: set[int]  # rows of the page that have been reversed (shown struck through)
    pending: set[int]  # rows of the page whose reversal waits for approval
    editable: set[int]  # rows of the page the viewer may edit (and so reverse)


# What a row of the list reads besides its customer's name, contract number, salesperson and
# reversal state: what it shows, what the allocation reads and what policy's rule reads of a row.
_ROW_COLUMNS = (SalesEntry.id, SalesEntry.entry_date, SalesEntry.contact_name,
                SalesEntry.product, SalesEntry.spec, SalesEntry.quantity, SalesEntry.unit_price,
                SalesEntry.amount, SalesEntry.invoice_no, SalesEntry.kind, SalesEntry.reverses_id,
                SalesEntry.reversal_reason, SalesEntry.contract_id, SalesEntry.owner_id,
                SalesEntry.department_id, SalesEntry.confidentiality)


def _shown(counted: Select) -> Select:
    customer, contract, owner = aliased(Customer), aliased(Contract), aliased(User)
    return (counted.with_only_columns(
        *_ROW_COLUMNS, customer.name.label("customer_name"),
        contract.number.label("contract_number"), owner.full_name.label("owner_name"),
        *reversal_state(SalesEntry))
        .join(customer, customer.id == SalesEntry.customer_id)
        .outerjoin(contract, contract.id == SalesEntry.contract_id)
        .join(owner, owner.id == SalesEntry.owner_id))


def listing(scoped: Callable[[], Select], viewer: User, f: LedgerFilters) -> LedgerListing:
    """One page of the filtered rows with their paid/owed, the capped count and the sums
    (reversals netted), which rows are reversed or waiting for a reversal's approval, and
    which the viewer may edit. `scoped` builds the policy-scoped query; the page's statement
    and the sums' are built once per viewer and filters."""
    extra = (f.date_from, f.date_to, f.q, f.customer, f.contract, f.kind, f.owner)
    page, total, capped = kept_rows_page("sales.ledger", viewer, extra,
                                         lambda: filtered(scoped(), f), _shown, SalesEntry,
                                         f.sort_spec(), after=f.after, before=f.before)
    void = {row.id for row in page.rows if row.is_reversed}
    return LedgerListing(page, total, capped, allocate(page.rows, void),
                         sums(_totals(scoped, viewer, f, extra)), void,
                         {row.id for row in page.rows if row.is_pending},
                         policy.allowed_rows(viewer, Action.EDIT, SalesEntry, page.rows))


def _totals(scoped: Callable[[], Select], viewer: User, f: LedgerFilters, extra: tuple) -> tuple:
    """The one row of the filtered rows' sums, kept until the ledger changes; a search's read
    every time (it matches customers' names too, which the ledger's version does not follow)."""
    def statement() -> Select:
        return for_viewer("sales.ledger_sums", viewer, lambda: _sums_of(filtered(scoped(), f)),
                          extra=extra)
    if f.q:
        return tuple(read_rows(statement()))
    return data_versions.kept_rows("sales.ledger_sums.rows", viewer, statement, extra, VERSION)


@cache
def _sum_columns() -> tuple:
    """The amount total of each kind, as columns over the ledger rows (built once)."""
    return tuple(type_coerce(func.coalesce(func.sum(case((SalesEntry.kind == kind.value,
                                                          SalesEntry.amount), else_=0)), 0),
                             Money).label(kind.value)
                 for kind in EntryKind)


def _sums_of(query: Select) -> Select:
    """The statement of `query`'s amount totals by kind: `query` filters the rows with WHERE
    clauses only (no join, no DISTINCT), so its totals are its own columns swapped for the
    sums."""
    return query.with_only_columns(*_sum_columns()).order_by(None)


def sums(totals: tuple) -> dict[str, Decimal]:
    """Amount totals of the filtered rows by kind (the one row of a _sums_of statement), and
    the net (销售 − 退回 − 折让)."""
    row = totals[0]._asdict()
    row["net"] = row["sale"] - row["return"] - row["allowance"]
    return row


def owner_options(user: User) -> list[tuple[int, str]]:
    """The salespeople whose rows the user may see (for the managers' filter): who they are
    is read from every row of the scope, by a statement built once per user and kept until
    the ledger changes; their names as they are now."""
    ids = [row.owner_id for row in data_versions.kept_rows(
        "sales.ledger_owners.rows", user,
        lambda: for_viewer("sales.ledger_owners", user, lambda: _owner_ids(user)), (), VERSION)]
    return [tuple(row) for row in read_rows(_NAMES, {"ids": ids})] if ids else []


def _owner_ids(user: User) -> Select:
    scoped = policy.scope(select(SalesEntry), user, SalesEntry)
    return scoped.with_only_columns(SalesEntry.owner_id).distinct().order_by(None)


# The names of the owners found, by name.
_NAMES = (select(User.id, User.full_name).where(User.id.in_(bindparam("ids", expanding=True)))
          .order_by(User.full_name))


def contract_choice(scoped: Select, contract_id: int | None) -> list[tuple[int, str]]:
    """The chosen contract as the row form's picker names it (number · customer · name), when
    it is in force and `scoped` (policy.scope on Contract) holds it; the picker searches the
    others (sales.contract_pick), so no other contract is loaded."""
    if contract_id is None:
        return []
    query = (scoped.with_only_columns(Contract.id, Contract.number, Contract.name, Customer.name)
             .join(Customer, Customer.id == Contract.customer_id)
             .where(Contract.id == contract_id, Contract.status.in_(EFFECTIVE)).limit(1))
    return [(cid, f"{number} · {customer} · {name}")
            for cid, number, name, customer in db.session.execute(query)]


# Marked with _l where they are defined so that `pybabel extract` finds them.
HEADERS = (_l("日期"), _l("客户名称"), _l("联系方式"), _l("产品名称"), _l("规格型号"), _l("数量"),
           _l("单价"), _l("金额"), _l("已付货款"), _l("欠款"), _l("发票"), _l("业务员"), _l("类别"),
           _l("成本"), _l("合同编号"), _l("备注"), _l("红冲"))


def export_table(scoped: Select, f: LedgerFilters, batch: int = 500):
    """(headers, rows) of every filtered row in the page's order, masked like the page."""
    sort = f.sort_spec()
    query = (filtered(scoped, f).order_by(None).order_by(*sort.order_by(SalesEntry,
                                                                         sort.descending))
             .options(*ROW_LOADS))
    return [str(h) for h in HEADERS], _export_rows(query, batch)


def _export_rows(query: Select, batch: int):
    """Rows in batches: each batch's paid/owed computed together, memory kept bounded."""
    entries = db.session.scalars(query.execution_options(yield_per=batch))
    for chunk in entries.partitions(batch):
        allocation = allocate(chunk)
        void = reversed_ids(SalesEntry, [e.id for e in chunk])
        for entry in chunk:
            yield _export_row(entry, allocation[entry.id], _reversal_note(entry, void))


def _reversal_note(entry: SalesEntry, void: set[int]) -> str | None:
    """The 红冲 cell: the original says it was reversed, the reversal says why."""
    if entry.reverses_id is not None:
        return _("红冲（原因：%(reason)s）", reason=entry.reversal_reason or "")
    return _("已红冲") if entry.id in void else None


def _export_row(e: SalesEntry, share: Allocation, reversal: str | None) -> tuple:
    contract: Contract | None = e.contract
    return (e.entry_date, e.customer.name, mask_phones_in(e.contact_name), e.product, e.spec,
            e.quantity, e.unit_price, e.amount, share.paid, share.owed, e.invoice_no,
            e.owner.full_name, e.kind, e.cost, contract.number if contract else None, e.remarks,
            reversal)
