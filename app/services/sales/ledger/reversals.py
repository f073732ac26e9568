"""Corrections by reversal (红冲) of payments and ledger rows: money is never edited or deleted.

A reversal is a row of the opposite amount that names the row it reverses (reverses_id, once at
most: a unique index) with the reason; every sum of amounts — a term's paid_total, a contract's
balance, the aging, the ledger's and the results' totals, the exports — nets the pair to zero
with no special case, and the lists show the original struck through beside its reversal. The
reversal row keeps the original's date, so period totals net in the period of the original.

Up to the approval threshold (config REVERSAL_APPROVAL_ABOVE, yuan) the reversal is written at
once; above it a ReversalRequest runs the approval flow "sales.reversal" and the reversal row is
written only when the department manager (the GM, when that manager asked) has signed it.
"""

from decimal import Decimal
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Payment, RequestStatus, SalesEntry, User
from app.models.sales.ledger import ReversalRequest
from app.services.approvals import engine as approvals
from app.services.core import audit
from app.services.sales.ledger.payments import Refused, fen

REVERSAL_FLOW = "sales.reversal"
REASON_MAX = 500
Original = Payment | SalesEntry


def approval_threshold() -> Decimal:
    """The amount (yuan) above which a reversal needs the manager's signature."""
    return fen(Decimal(str(current_app.config.get("REVERSAL_APPROVAL_ABOVE", "10000.00"))))


def needs_approval(original: Original) -> bool:
    return abs(original.amount) > approval_threshold()


def _reason(text: str | None) -> str:
    reason = (text or "").strip()
    if not reason:
        raise Refused(_("请填写红冲原因。"), "reason")
    if len(reason) > REASON_MAX:
        raise Refused(_("红冲原因不能超过 %(max)d 个字。", max=REASON_MAX), "reason")
    return reason


def reversal_of(original: Original) -> Original | None:
    """The row that reverses `original`, if it has been reversed."""
    model = type(original)
    return db.session.scalar(select(model).where(model.reverses_id == original.id))


def pending_request(original: Original) -> ReversalRequest | None:
    """The original's reversal waiting for approval, if any."""
    return db.session.scalar(select(ReversalRequest).where(
        _request_original(type(original)) == original.id,
        ReversalRequest.status == RequestStatus.PENDING))


def refusal(original: Original) -> str | None:
    """Why the original cannot be reversed now (None: it can)."""
    if original.reverses_id is not None:
        return _("这是一条红冲记录，不能再红冲；如需更正，请重新登记正确的记录。")
    if reversal_of(original) is not None:
        return _("该记录已红冲，不能重复红冲。")
    if pending_request(original) is not None:
        return _("该记录的红冲申请正在审批中，请等待审批结果。")
    return None


def _lock(original: Original) -> None:
    """Concurrent reversals of one row queue here (PostgreSQL row lock; SQLite serialises
    writers, and the unique index on reverses_id holds in any case)."""
    model = type(original)
    db.session.execute(select(model.id).where(model.id == original.id).with_for_update())


def reverse(original: Original, reason: str | None, actor: User) -> Original | ReversalRequest:
    """Reverses a payment or ledger row at once (the reversal row), or above the threshold
    files the request for approval (the ReversalRequest); refuses a blank reason, a reversal
    row, and a row already reversed or waiting for approval."""
    reason = _reason(reason)
    _lock(original)
    problem = refusal(original)
    if problem:
        raise Refused(problem)
    if needs_approval(original):
        return _request(original, reason, actor)
    return write_reversal(original, reason, actor)


def _request(original: Original, reason: str, actor: User) -> ReversalRequest:
    is_payment = isinstance(original, Payment)
    request = ReversalRequest(
        payment_id=original.id if is_payment else None,
        entry_id=None if is_payment else original.id, amount=original.amount, reason=reason,
        status=RequestStatus.PENDING, requested_by_id=actor.id, owner_id=original.owner_id,
        department_id=original.department_id, confidentiality=original.confidentiality)
    db.session.add(request)
    db.session.flush()
    approvals.submit(REVERSAL_FLOW, request, actor)
    audit.record("reversal_requested", original, actor=actor, object_label=label(original),
                 changes={"request": request.id, "amount": str(original.amount),
                          "reason": reason})
    return request


def _payment_reversal(original: Payment, reason: str, actor: User) -> Payment:
    return Payment(contract_id=original.contract_id, term_id=original.term_id,
                   paid_on=original.paid_on, amount=-original.amount, method=original.method,
                   reference=original.reference, recorded_by_id=actor.id,
                   owner_id=original.owner_id, department_id=original.department_id,
                   confidentiality=original.confidentiality, reverses_id=original.id,
                   reversal_reason=reason)


def _entry_reversal(original: SalesEntry, reason: str, actor: User) -> SalesEntry:
    return SalesEntry(entry_date=original.entry_date, kind=original.kind,
                      customer_id=original.customer_id, contract_id=original.contract_id,
                      contact_name=original.contact_name, product=original.product,
                      spec=original.spec, quantity=-original.quantity,
                      unit_price=original.unit_price, amount=-original.amount,
                      cost=None if original.cost is None else -original.cost,
                      invoice_no=original.invoice_no, created_by_id=actor.id,
                      owner_id=original.owner_id, department_id=original.department_id,
                      confidentiality=original.confidentiality, reverses_id=original.id,
                      reversal_reason=reason)


def write_reversal(original: Original, reason: str, actor: User,
                   request: ReversalRequest | None = None) -> Original:
    """Writes the reversal row of `original` and audits it on the original."""
    make = _payment_reversal if isinstance(original, Payment) else _entry_reversal
    row = make(original, reason, actor)
    db.session.add(row)
    db.session.flush()
    action = "payment_reversed" if isinstance(original, Payment) else "sales_entry_reversed"
    audit.record(action, original, actor=actor, object_label=label(original), changes={
        "reversal": row.id, "amount": [str(original.amount), str(row.amount)],
        "reason": reason, "request": request.id if request else None})
    return row


def label(original: Original) -> str:
    """How the audit trail and the approval inbox name the row."""
    if isinstance(original, Payment):
        return f"{original.contract.number} {original.paid_on} ¥{original.amount:,.2f}"[:200]
    return f"{original.entry_date} {original.product} ¥{original.amount:,.2f}"[:200]


def reversed_ids(model, ids: list[int]) -> set[int]:
    """Which of these rows have been reversed."""
    if not ids:
        return set()
    return set(db.session.scalars(_reversed_of(model), {"ids": ids}))


@cache
def _reversed_of(model) -> Select:
    """Built once per model (the payments page and the exports ask); the rows' ids bound as a
    list."""
    return select(model.reverses_id).where(model.reverses_id.in_(bindparam("ids", expanding=True)))


@cache
def reversal_state(model) -> tuple:
    """Two columns of a list's row statement over `model`: whether the row has been reversed
    (is_reversed) and whether its reversal waits for approval (is_pending), so that a page
    learns both with its rows rather than by two statements more. Built once per model."""
    reversal = aliased(model)
    return (select(reversal.id).where(reversal.reverses_id == model.id).exists()
            .label("is_reversed"),
            select(ReversalRequest.id).where(_request_original(model) == model.id,
                                             ReversalRequest.status == RequestStatus.PENDING)
            .exists().label("is_pending"))


def pending_ids(model, ids: list[int]) -> set[int]:
    """Which of these rows have a reversal waiting for approval."""
    if not ids:
        return set()
    return set(db.session.scalars(_pending_of(model), {"ids": ids}))


@cache
def _pending_of(model) -> Select:
    """Built once per model (the payments page asks); the rows' ids bound as a list."""
    column = _request_original(model)
    return select(column).where(column.in_(bindparam("ids", expanding=True)),
                                ReversalRequest.status == RequestStatus.PENDING)


def _request_original(model):
    """The reversal request's column naming the row of `model` it would reverse."""
    return ReversalRequest.payment_id if model is Payment else ReversalRequest.entry_id
