"""Payments received (回款) against a contract's payment terms, and what each term still owes.

A term's outstanding amount is its amount less its payments; it is overdue when its due date
has passed (before today, in the company's time zone) and something is still outstanding.
Nothing of this is typed: it is computed from the terms and the payments. Each term also keeps
the sum of its payments (PaymentTerm.paid_total, read by the receivables aging): derived data,
recomputed from the payments in the flush — so the transaction — that inserts, changes or
deletes any payment (`_keep_paid_totals`), and checked by `paid_total_mismatches`.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, event, func, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from app.extensions import db
from app.models import Contract, ContractStatus, Payment, PaymentTerm, User
from app.models.sales.ledger import PaymentMethod
from app.services.core import audit, errors
from app.timeutil import local_today

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# Contracts that are in force (or were): they are owed money and take sales and payments.
EFFECTIVE = (ContractStatus.ACTIVE, ContractStatus.CLOSED)


class Refused(errors.Refused):
    """A rule of the sales ledger (payments, ledger rows) refuses the values."""


class BeforeSigning(Refused):
    """A date before the contract's sign date: taken only once the user confirms it."""


def before_signing(contract: Contract, day: date, confirmed: bool, what: str) -> bool:
    """Whether `day` is before the contract's sign date (the caller audits that it was
    confirmed); raises BeforeSigning, naming both dates, until the user confirms it."""
    signed = contract.sign_date
    if signed is None or day >= signed:
        return False
    if not confirmed:
        raise BeforeSigning(_(
            "%(what)s %(day)s 早于合同 %(number)s 的签订日期 %(signed)s。请核对日期；"
            "确认无误请点击「仍然登记」。", what=what, day=day.isoformat(),
            number=contract.number, signed=signed.isoformat()), "confirm_early")
    return True


def fen(value: Decimal) -> Decimal:
    """A yuan amount to the fen, rounded half up."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def overdue_days(due_date: date, outstanding: Decimal, today: date) -> int:
    """Days past the due date while something is outstanding; 0 when due today or paid."""
    if outstanding <= 0 or due_date >= today:
        return 0
    return (today - due_date).days


@dataclass
class TermBalance:
    term: PaymentTerm
    paid: Decimal
    outstanding: Decimal
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass
class ContractBalance:
    """A contract's terms with what is paid and outstanding, and their totals."""

    contract: Contract
    terms: list[TermBalance] = field(default_factory=list)
    amount: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    overdue: Decimal = ZERO  # the outstanding amount of overdue terms


# What a new payment is checked against: summed afresh under the term's lock (pages read the
# kept paid_total; a term loaded earlier in the request may hold one read before the lock).
_PAID_BY_TERM = (select(Payment.term_id, func.sum(Payment.amount))
                 .where(Payment.term_id.in_(bindparam("terms", expanding=True)))
                 .group_by(Payment.term_id))


def paid_by_term(term_ids: list[int]) -> dict[int, Decimal]:
    """{term id: sum of its payments} for these terms (summed by the database)."""
    if not term_ids:
        return {}
    rows = db.session.execute(_PAID_BY_TERM, {"terms": term_ids})
    return {term_id: paid for term_id, paid in rows}


def sync_paid_totals(connection, term_ids) -> None:
    """Sets each of these terms' paid_total to the sum of its payments (in the database, on
    `connection`: the caller's transaction)."""
    ids = sorted({term_id for term_id in term_ids if term_id is not None})
    if not ids:
        return
    terms, paid = PaymentTerm.__table__, Payment.__table__
    total = (select(func.coalesce(func.sum(paid.c.amount), 0))
             .where(paid.c.term_id == terms.c.id).scalar_subquery())
    connection.execute(update(terms).where(terms.c.id.in_(ids)).values(paid_total=total))


def paid_total_mismatches() -> list[tuple[int, Decimal, Decimal]]:
    """(term id, stored paid_total, sum of its payments) of every term where they differ;
    empty when the derived totals are right."""
    paid = (select(Payment.term_id, func.sum(Payment.amount).label("paid"))
            .group_by(Payment.term_id).subquery())
    actual = func.coalesce(paid.c.paid, 0)
    rows = db.session.execute(
        select(PaymentTerm.id, PaymentTerm.paid_total, actual)
        .outerjoin(paid, paid.c.term_id == PaymentTerm.id)
        .where(PaymentTerm.paid_total != actual).order_by(PaymentTerm.id))
    return [(term_id, stored, paid) for term_id, stored, paid in rows]


_PENDING = "payments.paid_total_terms"


@event.listens_for(Session, "after_flush")
def _keep_paid_totals(session: Session, _context) -> None:
    """Every payment the flush inserted, changed or deleted: its term's paid_total (and the
    former term's, when a payment moved) is recomputed in the same transaction."""
    term_ids = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Payment):
            history = inspect(obj).attrs.term_id.history
            term_ids.update((obj.term_id, *history.deleted))
    if term_ids:
        sync_paid_totals(session.connection(), term_ids)
        session.info.setdefault(_PENDING, set()).update(term_ids)


@event.listens_for(Session, "after_flush_postexec")
def _expire_paid_totals(session: Session, _context) -> None:
    """Terms loaded in the session read their new paid_total from the database."""
    for term_id in session.info.pop(_PENDING, ()):
        term = session.identity_map.get(identity_key(PaymentTerm, term_id))
        if term is not None:
            session.expire(term, ["paid_total"])


def contract_balance(contract: Contract, today: date | None = None) -> ContractBalance:
    """Each term's paid, outstanding and overdue days, with the contract's totals."""
    today = today or local_today()
    balance = ContractBalance(contract)
    for term in contract.terms:
        term_paid = term.paid_total  # the sum of its payments, kept by every flush
        outstanding = term.amount - term_paid
        line = TermBalance(term, term_paid, outstanding,
                           overdue_days(term.due_date, outstanding, today))
        balance.terms.append(line)
        balance.amount += term.amount
        balance.paid += term_paid
        balance.outstanding += outstanding
        balance.overdue += outstanding if line.overdue else ZERO
    return balance


def history(scoped: Select, contract: Contract) -> list[Payment]:
    """The contract's payments in the order they came (`scoped`: policy.scope on Payment)."""
    return list(db.session.scalars(scoped.where(Payment.contract_id == contract.id)
                                   .order_by(Payment.paid_on, Payment.id)))


@dataclass
class PaymentData:
    term_id: int | None
    paid_on: date
    amount: Decimal
    method: PaymentMethod | None = None
    reference: str | None = None
    note: str | None = None
    confirmed_early: bool = False  # the user confirmed a date before the contract's signing


def record_payment(contract: Contract, data: PaymentData, actor: User) -> Payment:
    """Records a payment against one of the contract's terms; refuses a contract not in force,
    another contract's term, a date after today, and an amount not above zero or above what
    the term still owes; a date before the contract's signing waits for confirmation."""
    if contract.status not in EFFECTIVE:
        raise Refused(_("合同尚未生效（评审通过后方可登记回款）。"))
    term = _locked_term(contract, data.term_id)
    _check_amount(term, data.amount)
    if data.paid_on > local_today():
        raise Refused(_("回款日期不能晚于今天。"), "paid_on")
    early = before_signing(contract, data.paid_on, data.confirmed_early, _("回款日期"))
    payment = Payment(contract_id=contract.id, term_id=term.id, paid_on=data.paid_on,
                      amount=fen(data.amount), method=data.method, reference=data.reference,
                      note=data.note, recorded_by_id=actor.id, owner_id=contract.owner_id,
                      department_id=contract.department_id,
                      confidentiality=contract.confidentiality)
    db.session.add(payment)
    db.session.flush()
    audit.record("payment_recorded", payment, actor=actor,
                 object_label=f"{contract.number} {term.kind.label}",
                 changes={"term": term.id, "paid_on": [None, data.paid_on],
                          "amount": [None, str(payment.amount)], "method": [None, data.method],
                          "reference": [None, data.reference],
                          **({"before_sign_date": str(contract.sign_date)} if early else {})})
    return payment


def _locked_term(contract: Contract, term_id: int | None) -> PaymentTerm:
    """The contract's term, locked until commit so that two payments cannot both take the
    last outstanding amount (PostgreSQL row lock; SQLite serialises writers)."""
    term = db.session.scalar(select(PaymentTerm).where(
        PaymentTerm.id == term_id, PaymentTerm.contract_id == contract.id).with_for_update())
    if term is None:
        raise Refused(_("请选择本合同的一项付款条款。"), "term")
    return term


def _check_amount(term: PaymentTerm, amount: Decimal) -> None:
    """Refuses zero, negative, sub-fen and larger-than-outstanding amounts."""
    if amount is None or amount <= 0:
        raise Refused(_("回款金额必须大于 0。"), "amount")
    if amount != fen(amount):
        raise Refused(_("回款金额最多保留两位小数（精确到分）。"), "amount")
    outstanding = term.amount - paid_by_term([term.id]).get(term.id, ZERO)
    if outstanding <= 0:
        raise Refused(_("该条款（%(term)s）已收清，不能再登记回款。", term=term.kind.label),
                      "amount")
    if amount > outstanding:
        raise Refused(_(
            "回款金额 ¥%(amount)s 超过该条款（%(term)s）尚未收回的 ¥%(outstanding)s，不能登记。"
            "如客户多付，请与财务核对后分别登记到其他条款。",
            amount=f"{amount:,.2f}", term=term.kind.label, outstanding=f"{outstanding:,.2f}"),
            "amount")
