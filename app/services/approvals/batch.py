"""Batch signing: several items of one kind, each shown to the signer, approved with one entry
of the password; one signature per item, each bound to its own content hash.

Results are per item. A signature is a separate act on separate content: an item that cannot be
signed (not shown in this session, changed since, finished by a co-signer meanwhile) is refused
with its reason and leaves no trace, while the others are signed as the approver asked. What
concerns the whole batch is checked first and refuses all of it: nothing chosen, items of
different kinds, a wrong password (counted once toward the signing lock, not once per item).
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from app.extensions import db
from app.models import ApprovalRequest, Decision, User
from app.services.approvals import engine as approvals
from app.services.approvals.cards import kind_refusal
from app.services.approvals.receipts import Receipt, refusal

# More than one inbox page is never signed at once.
MAX_ITEMS = 100


@dataclass
class Outcome:
    """One item's result: signed, or why not."""

    request_id: int
    title: str
    reason: str | None = None

    @property
    def signed(self) -> bool:
        return self.reason is None


def approve_all(chosen: list[int], waiting: list[ApprovalRequest], signer: User, password: str,
                comment: str, receipts: dict[int, Receipt]) -> list[Outcome]:
    """Approves each chosen item (`waiting`: those of them policy lets the signer sign now)
    with its own signature; raises ApprovalError, signing nothing, when the batch as a whole
    is refused (the caller commits so a wrong password still counts)."""
    if not chosen:
        raise approvals.ApprovalError(_("请先勾选要签字的事项。"), 422)
    if len(chosen) > MAX_ITEMS:
        raise approvals.ApprovalError(_("一次最多批量签字 %(n)d 项。", n=MAX_ITEMS), 422)
    by_id = {r.id: r for r in waiting}
    kinds = kind_refusal(list(by_id.values()))
    if kinds:
        raise approvals.ApprovalError(kinds, 422)
    approvals.verify_signer(signer, password)
    return [_approve_one(request_id, by_id.get(request_id), signer, comment,
                         receipts.get(request_id)) for request_id in chosen]


def _approve_one(request_id: int, request: ApprovalRequest | None, signer: User, comment: str,
                 receipt: Receipt | None) -> Outcome:
    if request is None:
        return Outcome(request_id, f"#{request_id}",
                       _("该事项不在您的待办中（已处理，或不由您签字）。"))
    outcome = Outcome(request.id, request.title, refusal(request, receipt))
    if outcome.signed:
        try:
            with db.session.begin_nested():  # a refused item leaves nothing behind
                approvals.sign_verified(request, signer, Decision.APPROVE, comment)
        except approvals.ApprovalError as refused:
            outcome.reason = refused.message
    return outcome
