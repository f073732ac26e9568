"""销售合同统计台账 (表5-21): the contracts signed in a period, with each one's payment history."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, tuple_, type_coerce
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Contract, Payment
from app.models.base import Money
from app.services.core.pagination import Page, Sort, counted_page
from app.services.sales.ledger.payments import EFFECTIVE

SORT = Sort(Contract.sign_date, False)


@dataclass
class PeriodFilters:
    date_from: date
    date_to: date
    owner: int | None = None
    after: str | None = None
    before: str | None = None


def contracts_query(scoped: Select, f: PeriodFilters) -> Select:
    """Contracts in force signed in the period (`scoped`: policy.scope on Contract)."""
    query = scoped.where(Contract.status.in_(EFFECTIVE),
                         Contract.sign_date.between(f.date_from, f.date_to))
    if f.owner:
        query = query.where(Contract.owner_id == f.owner)
    return query


@dataclass
class StatisticsPage:
    page: Page
    total: int
    capped: bool
    first_number: int  # 序号 of the page's first row
    payments: dict[int, list[Payment]]
    reversed: set[int]  # payments shown that have been reversed (struck through)
    amount: Decimal  # 成交金额合计 of the whole period
    received: Decimal  # 已回款合计 of those contracts


def statistics(scoped: Select, payments_scoped: Select, f: PeriodFilters) -> StatisticsPage:
    """One page of the period's contracts with their payments, numbered, and the period's
    totals (`payments_scoped`: policy.scope on Payment)."""
    query = contracts_query(scoped, f).options(*_loads())
    page, total, capped = counted_page(query, Contract, SORT, after=f.after, before=f.before)
    amount, received = _totals(contracts_query(scoped, f), payments_scoped)
    paid = histories(payments_scoped, [c.id for c in page.rows])
    return StatisticsPage(page, total, capped, _first_number(contracts_query(scoped, f), page),
                          paid, reversed_within(paid), amount, received)


def reversed_within(paid: dict[int, list[Payment]]) -> set[int]:
    """The payments of these histories that a reversal in them names."""
    return {p.reverses_id for rows in paid.values() for p in rows if p.reverses_id}


def _loads() -> tuple:
    return (selectinload(Contract.lines), selectinload(Contract.customer),
            selectinload(Contract.owner))


def _first_number(query: Select, page: Page) -> int:
    """The 序号 of the page's first row: rows before it in the period's order, plus one."""
    if not page.rows:
        return 1
    first = page.rows[0]
    before = query.where(tuple_(Contract.sign_date, Contract.id) < (first.sign_date, first.id))
    return db.session.scalar(select(func.count()).select_from(
        before.with_only_columns(Contract.id).order_by(None).subquery())) + 1


def _totals(query: Select, payments_scoped: Select) -> tuple[Decimal, Decimal]:
    """(成交金额, 已回款) of all the period's contracts, summed by the database."""
    ids = query.with_only_columns(Contract.id).order_by(None)
    amount = db.session.scalar(select(type_coerce(func.coalesce(func.sum(Contract.total_amount),
                                                                0), Money))
                               .where(Contract.id.in_(ids)))
    received = db.session.scalar(payments_scoped.with_only_columns(
        type_coerce(func.coalesce(func.sum(Payment.amount), 0), Money))
        .where(Payment.contract_id.in_(ids)).order_by(None))
    return amount, received


def histories(payments_scoped: Select, contract_ids: list[int]) -> dict[int, list[Payment]]:
    """{contract id: its payments by date} (货款回收记录)."""
    found = defaultdict(list)
    if contract_ids:
        for payment in db.session.scalars(
                payments_scoped.where(Payment.contract_id.in_(contract_ids))
                .order_by(Payment.paid_on, Payment.id)):
            found[payment.contract_id].append(payment)
    return found


def history_text(payments: list[Payment]) -> str:
    """One line per payment: date, amount, method (the cell of the export); a reversed payment
    says so, a reversal gives its reason."""
    void = reversed_within({0: payments})
    return "\n".join(_history_line(p, p.id in void) for p in payments)


def _history_line(p: Payment, reversed_: bool) -> str:
    line = f"{p.paid_on:%Y-%m-%d} ¥{p.amount:,.2f}" + (f" {p.method.label}" if p.method else "")
    if p.reverses_id:
        return f"{line} {_('红冲（原因：%(reason)s）', reason=p.reversal_reason or '')}"
    return f"{line} {_('已红冲')}" if reversed_ else line


# Marked with _l where they are defined so that `pybabel extract` finds them.
HEADERS = (_l("序号"), _l("销售人员姓名"), _l("合同编号"), _l("需方单位"), _l("签订日期"),
           _l("货物名称"), _l("数量"), _l("单价"), _l("成交金额"), _l("货款回收记录"), _l("已回款"),
           _l("备注"))


def export_table(scoped: Select, payments_scoped: Select, f: PeriodFilters, batch: int = 500):
    """(headers, rows) of all the period's contracts; a contract's lines in one cell each."""
    query = contracts_query(scoped, f).order_by(*SORT.order_by(Contract, False)).options(*_loads())
    return [str(h) for h in HEADERS], _rows(query, payments_scoped, batch)


def _rows(query: Select, payments_scoped: Select, batch: int):
    number = 0
    for chunk in db.session.scalars(query.execution_options(yield_per=batch)).partitions(batch):
        paid = histories(payments_scoped, [c.id for c in chunk])
        for contract in chunk:
            number += 1
            yield _row(number, contract, paid.get(contract.id, []))


def _row(number: int, c: Contract, payments: list[Payment]) -> tuple:
    lines = c.lines
    return (number, c.owner.full_name, c.number, c.customer.name, c.sign_date,
            "\n".join(" ".join(filter(None, (ln.product, ln.spec))) for ln in lines),
            "\n".join(f"{ln.quantity.normalize():f}{ln.unit or ''}" for ln in lines),
            "\n".join(f"{ln.unit_price:,.2f}" for ln in lines), c.total_amount,
            history_text(payments), sum((p.amount for p in payments), Decimal("0.00")),
            c.remarks)
