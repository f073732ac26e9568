"""红冲审批: a reversal above the threshold, as a kind of record the approval engine signs. The
snapshot is the original's fixed content (what cannot change after it was recorded) with the
amount and the reason, so the signer signs what the reversal will undo."""

from app.extensions import db
from app.models import Level, Payment, RequestStatus
from app.models.approvals import ApprovalRequest
from app.models.sales.ledger import ReversalRequest
from app.services.core.notifications import Link
from app.services.sales.ledger.reversals import label, write_reversal


def _payment_fields(payment: Payment) -> dict:
    return {"contract": payment.contract.number, "term": payment.term.kind.value,
            "paid_on": payment.paid_on.isoformat(), "amount": str(payment.amount),
            "method": payment.method.value if payment.method else None,
            "reference": payment.reference}


def _entry_fields(entry) -> dict:
    return {"contract": entry.contract.number if entry.contract else None,
            "entry_date": entry.entry_date.isoformat(), "kind": entry.kind.value,
            "product": entry.product, "quantity": str(entry.quantity),
            "unit_price": str(entry.unit_price), "amount": str(entry.amount)}


class ReversalKind:
    """A ReversalRequest: approved, the reversal row is written in the requester's name."""

    record_type = "ReversalRequest"

    def load(self, record_id: int) -> ReversalRequest:
        return db.session.get(ReversalRequest, record_id)

    def subject(self, request: ReversalRequest):
        return request.original

    def snapshot(self, request: ReversalRequest) -> dict:
        original = request.original
        fields = (_payment_fields(original) if request.payment_id is not None
                  else _entry_fields(original))
        return {"record": "ReversalRequest", "id": request.id,
                "target": type(original).__name__, "target_id": original.id,
                "reason": request.reason, "reversal_amount": str(-request.amount), **fields}

    def department_id(self, request: ReversalRequest) -> int:
        return request.department_id

    def level(self, request: ReversalRequest) -> Level:
        return request.confidentiality

    def title(self, request: ReversalRequest) -> str:
        return label(request.original)

    def link(self, request: ReversalRequest) -> Link:
        original = request.original
        if request.payment_id is not None:
            return Link("sales.payment_list", {"contract_id": original.contract_id})
        return Link("sales.ledger_list", {"contract": original.contract_id}
                    if original.contract_id else {})

    def numbers(self, request: ReversalRequest) -> dict:
        return {"amount": abs(request.amount)}

    def submitted(self, request: ReversalRequest, approval: ApprovalRequest) -> None:
        request.status = RequestStatus.PENDING

    def approved(self, request: ReversalRequest, approval: ApprovalRequest) -> None:
        write_reversal(request.original, request.reason, request.requested_by, request)
        request.status = RequestStatus.APPROVED

    def returned(self, request: ReversalRequest, approval: ApprovalRequest) -> None:
        request.status = approval.status
