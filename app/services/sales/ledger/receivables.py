"""Receivables (应收账款): what is owed on the contracts in the user's scope, and how late.

A term's outstanding amount is its amount less its payments. Aging by days past the due date
(today in the company's time zone): 未到期 (due today or later), 1–30, 31–90, over 90. All of
it is summed by the database in one GROUP BY with CASE on the due date, compared with date
boundaries computed here, so the same SQL runs on SQLite and PostgreSQL.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    Date,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Contract, Customer, Payment, PaymentTerm, User
from app.services.core import data_versions
from app.services.core.loading import read_rows
from app.services.core.pagination import Page, Sort, keyset_page
from app.services.core.report_cursor import decode_cursor, encode_cursor
from app.services.core.viewer_statements import for_viewer
from app.services.sales.ledger.payments import EFFECTIVE
from app.timeutil import local_today

BUCKETS = (("not_due", _l("未到期")), ("d1_30", _l("逾期1–30天")),
           ("d31_90", _l("逾期31–90天")), ("d90_plus", _l("逾期90天以上")))
AMOUNTS = (*(name for name, _label in BUCKETS), "total")
GROUPS = ("customer", "salesperson")
VERSION = "receivables"  # services.core.data_versions: the aging's tables


def watch_writes() -> None:
    """Every committed write to a contract, payment term or payment moves VERSION on, which
    drops the kept aging pages (the sales department's plug_in calls this)."""
    data_versions.watch(VERSION, Contract.__table__, PaymentTerm.__table__, Payment.__table__)


def in_fen(column):
    """A Money column as its stored integer fen, for arithmetic in SQL."""
    return type_coerce(column, BigInteger)


def outstanding_terms(scoped: Select, today: date) -> Select:
    """(contract id, customer id, owner id, bucket, outstanding fen) of every term still owing
    something of the contracts in force that `scoped` (policy.scope on Contract) selects.
    Outstanding is the amount less the term's paid_total, the sum of its payments kept in the
    transaction of each payment (payments._keep_paid_totals); the condition `amount >
    paid_total` is the one of the partial index ix_payment_terms_open, so only open terms are
    read."""
    outstanding = in_fen(PaymentTerm.amount) - in_fen(PaymentTerm.paid_total)
    return (scoped.where(Contract.status.in_(EFFECTIVE)).order_by(None)
            .with_only_columns(Contract.id.label("contract_id"), Contract.customer_id,
                               Contract.owner_id,
                               bucket_number(PaymentTerm.due_date, today).label("bucket"),
                               outstanding.label("outstanding"))
            .join(PaymentTerm, PaymentTerm.contract_id == Contract.id)
            .where(PaymentTerm.amount > PaymentTerm.paid_total))


def bucket_number(due, today: date):
    """The index in BUCKETS of a due date (days past due = today − due date): one CASE per
    term, compared with boundaries computed here (the same SQL on SQLite and PostgreSQL)."""
    day30, day90 = today - timedelta(days=30), today - timedelta(days=90)
    return case((due >= today, 0), (due >= day30, 1), (due >= day90, 2), else_=3)


def aging_select(scoped: Select, group: str, today: date) -> Select:
    """Outstanding per customer or salesperson (key) and bucket, in fen; only terms that
    still owe something, so every group listed owes something. One GROUP BY straight over the
    scoped contracts joined to their open terms (no derived table), so that the database reads
    the contracts in key order from ix_contracts_customer_aging / ix_contracts_owner_aging (the
    ix_contracts_department_* ones in a manager's scope) and the open terms from
    ix_payment_terms_open, without sorting. Per term only three date comparisons, each
    gating one running sum (FILTER, not a CASE per bucket: ~10 % of the query on SQLite):
    what is owed on terms due on or after today, 30 and 90 days ago (the boundaries of
    bucket_number); each bucket is then the difference of two of these sums, once per group.
    The boundaries are written into the SQL (literal_execute), not bound: SQLite computes a
    repeated aggregate once only when its text is the same, and two `?` are never the same
    (bound, the four sums are computed seven times, +40 %)."""
    key = Contract.customer_id if group == "customer" else Contract.owner_id
    owed = func.sum(in_fen(PaymentTerm.amount) - in_fen(PaymentTerm.paid_total))
    due = PaymentTerm.due_date
    due_since = [func.coalesce(owed.filter(due >= literal(today - timedelta(days=days), Date,
                                                          literal_execute=True)),
                               literal_column("0"))
                 for days in (0, 30, 90)]
    return (scoped.where(_in_force()).order_by(None)
            .with_only_columns(key.label("key"), due_since[0].label("not_due"),
                               (due_since[1] - due_since[0]).label("d1_30"),
                               (due_since[2] - due_since[1]).label("d31_90"),
                               (owed - due_since[2]).label("d90_plus"), owed.label("total"))
            .join(PaymentTerm, PaymentTerm.contract_id == Contract.id)
            .where(PaymentTerm.amount > PaymentTerm.paid_total).group_by(key))


def _in_force():
    """The contracts in force. On SQLite as `coalesce(status, '') IN (...)`: the same rows
    (status is never NULL), but a condition no index answers, so that SQLite, which keeps no
    statistics unless ANALYZE is run, does not read every contract through
    ix_contracts_status_id (a table lookup per contract) but scans the covering
    ix_contracts_*_aging in group order (or ix_contracts_owner_aging in one salesperson's
    scope). PostgreSQL, which has statistics, gets the plain condition (its estimate of the
    coalesce would be a guess)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.coalesce(Contract.status, literal("", String)).in_(EFFECTIVE)
    return Contract.status.in_(EFFECTIVE)


@dataclass
class AgingRow:
    key: int
    label: str
    number: str | None
    owner: str | None
    not_due: Decimal
    d1_30: Decimal
    d31_90: Decimal
    d90_plus: Decimal
    total: Decimal


@dataclass
class Aging:
    page: Page
    totals: dict[str, Decimal] | None  # None: the cursor was past the last group
    groups: int


def aging(scoped: Select, group: str, today: date | None = None, after: str | None = None,
          before: str | None = None, size: int = 50, kept_for=None) -> Aging:
    """One page of groups, largest outstanding first, with the totals of all groups (window
    sums over the same GROUP BY: one pass over the terms). `kept_for`: the viewer whose
    policy.scope on Contract `scoped` is; the page's statement is then built once per viewer,
    grouping, day and cursor (services.core.viewer_statements), and its rows are kept with
    them until a contract, term or payment changes (the version VERSION): in a department
    of 20,000 contracts the GROUP BY takes ~50 ms, every visit."""
    today = today or local_today()
    cursor = decode_cursor(after or before)
    backwards = cursor is not None and not after
    extra = (group, today, cursor, backwards, size)

    def build() -> Select:
        return _aging_page(scoped, group, today, cursor, backwards, size)
    if kept_for is None:
        rows = read_rows(build())
    else:
        rows = list(data_versions.kept_rows(
            "sales.aging.rows", kept_for,
            lambda: for_viewer("sales.aging", kept_for, build, extra=extra), extra, VERSION))
    more, rows = len(rows) > size, rows[:size]
    if backwards:
        rows.reverse()
    page = Page(_labelled(group, rows))
    _cursors(page, rows, has_next=True if backwards else more,
             has_prev=more if backwards else cursor is not None)
    totals = ({name: as_yuan(getattr(rows[0], f"all_{name}")) for name in AMOUNTS}
              if rows else None)
    return Aging(page, totals, rows[0].groups if rows else 0)


def _aging_page(scoped: Select, group: str, today: date, cursor, backwards: bool,
                size: int) -> Select:
    """The groups of one page (and one more, to tell whether another page follows), with the
    totals of all groups and their number as windows."""
    grouped = aging_select(scoped, group, today).subquery()
    windowed = select(grouped, *[func.sum(grouped.c[name]).over().label(f"all_{name}")
                                 for name in AMOUNTS],
                      func.count().over().label("groups")).subquery()
    query = select(windowed)
    if cursor:
        query = query.where(_beyond(windowed, cursor, backwards))
    order = ((windowed.c.total.asc(), windowed.c.key.desc()) if backwards
             else (windowed.c.total.desc(), windowed.c.key.asc()))
    return query.order_by(*order).limit(size + 1)


def _beyond(windowed, cursor: tuple[int, int], backwards: bool):
    """Groups after the cursor in (total desc, key asc) order, or before it going back."""
    total, key = cursor
    if backwards:
        return or_(windowed.c.total > total, and_(windowed.c.total == total,
                                                  windowed.c.key < key))
    return or_(windowed.c.total < total, and_(windowed.c.total == total, windowed.c.key > key))


def _cursors(page: Page, rows: list, has_next: bool, has_prev: bool) -> None:
    if rows and has_next:
        page.next_cursor = encode_cursor(rows[-1].total, rows[-1].key)
    if rows and has_prev:
        page.prev_cursor = encode_cursor(rows[0].total, rows[0].key)


def as_yuan(fen: int | None) -> Decimal:
    """Fen summed by the database as yuan (what Money reads, without a type per value)."""
    return Decimal(int(fen or 0)).scaleb(-2)


# The labels of a page of groups, built once (every page of the aging runs one); the keys are
# bound as a list.
_LABELS = {
    True: select(Customer.id, Customer.name, Customer.number, User.full_name)
    .outerjoin(User, User.id == Customer.owner_id)
    .where(Customer.id.in_(bindparam("keys", expanding=True))),
    False: select(User.id, User.full_name, null(), null())
    .where(User.id.in_(bindparam("keys", expanding=True)))}


def _labelled(group: str, rows: list) -> list[AgingRow]:
    """The rows with their customer's number, name and salesperson, or the salesperson's
    name (one query of those columns for the page)."""
    keys = [row.key for row in rows]
    if not keys:
        return []
    labels = {key: label for key, *label in db.session.execute(
        _LABELS[group == "customer"], {"keys": keys})}
    return [AgingRow(row.key, *labels[row.key], *(as_yuan(getattr(row, n)) for n in AMOUNTS))
            for row in rows]


def all_groups(scoped: Select, group: str, today: date | None = None, batch: int = 1000):
    """Every group, largest outstanding first (the export): one GROUP BY, its rows labelled
    `batch` at a time (not one aggregation per page of groups)."""
    grouped = aging_select(scoped, group, today or local_today()).subquery()
    result = db.session.execute(select(grouped).order_by(grouped.c.total.desc(),
                                                         grouped.c.key.asc()))
    while rows := result.fetchmany(batch):
        yield from _labelled(group, rows)


@dataclass
class OpenTerm:
    term: PaymentTerm
    paid: Decimal
    outstanding: Decimal
    days_past_due: int  # 0 when not yet due
    bucket: str


def open_terms_query(scoped: Select, customer: int | None, owner: int | None) -> Select:
    """Terms still owing something on the contracts in force of one customer or salesperson
    (`scoped`: policy.scope on Contract)."""
    contracts = scoped.with_only_columns(Contract.id).where(Contract.status.in_(EFFECTIVE))
    if customer:
        contracts = contracts.where(Contract.customer_id == customer)
    if owner:
        contracts = contracts.where(Contract.owner_id == owner)
    paid = (select(func.coalesce(func.sum(in_fen(Payment.amount)), 0))
            .where(Payment.term_id == PaymentTerm.id).scalar_subquery())
    return (select(PaymentTerm).where(PaymentTerm.contract_id.in_(contracts.order_by(None)),
                                      in_fen(PaymentTerm.amount) > paid)
            .options(selectinload(PaymentTerm.contract).selectinload(Contract.customer),
                     selectinload(PaymentTerm.contract).selectinload(Contract.owner)))


def open_terms(query: Select, today: date | None = None, after: str | None = None,
               before: str | None = None, size: int | None = None) -> tuple[Page, list]:
    """One page of open terms, earliest due first, with their paid and outstanding amounts."""
    page = keyset_page(query, PaymentTerm, Sort(PaymentTerm.due_date, False), after=after,
                       before=before, size=size)
    return page, describe(page.rows, today or local_today())


def describe(terms: list[PaymentTerm], today: date) -> list[OpenTerm]:
    """Paid, outstanding, days past due and bucket of each term."""
    described = []
    for term in terms:
        term_paid = term.paid_total  # the sum of its payments, kept by every flush
        days = max((today - term.due_date).days, 0)
        bucket = next(name for name, (low, high) in _DAY_RANGES.items() if low <= days <= high)
        described.append(OpenTerm(term, term_paid, term.amount - term_paid, days, bucket))
    return described


# The same buckets as bucket_number, in days past due (inclusive).
_DAY_RANGES = {"not_due": (0, 0), "d1_30": (1, 30), "d31_90": (31, 90),
               "d90_plus": (91, 10**6)}
