"""Sign what you see: a request's card shown in its inbox row (with the receipt the sign forms
carry), and batch approval of several shown items with one password."""

from flask import flash, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.blueprints._once import once
from app.blueprints.approvals import bp
from app.blueprints.approvals.forms import BatchSignForm, SignForm
from app.extensions import db
from app.htmx import redirect, render, wants_fragment
from app.models import ApprovalRequest
from app.parsing import to_id
from app.policy import Action
from app.services.approvals import batch, cards, pages, receipts
from app.services.approvals import engine as approvals
from app.services.approvals.cards import ShownCard

ITEM = "approvals/request/_row.html"


def shown_card(req: ApprovalRequest) -> ShownCard:
    """The request's card, with the receipt of having shown it in this sign-in session."""
    shown = cards.card_of(req)
    shown.receipt = receipts.issue(req, shown.content_hash, current_user, g.user_session.id)
    return shown


def sent_receipts() -> dict[int, receipts.Receipt]:
    """The genuine receipts of this user and session that the form carries, by request id."""
    return receipts.read(request.form.getlist("shown")[:batch.MAX_ITEMS + 1], current_user,
                         g.user_session.id)


def render_item(req: ApprovalRequest, *, status: int = 200, **context):
    """The request's inbox item (row, and the card once shown), read again after a commit."""
    row = pages.item_row(req.id)
    context.setdefault("shown", None)
    return render(ITEM, status=status, req=row, figures=cards.row_figures([row]),
                  form=context.pop("form", None), error=context.pop("error", None),
                  done=context.pop("done", None), **context)


@bp.get("/<int:request_id>/card")
@login_required
def request_card(request_id: int):
    """Expands an inbox row: the frozen content to sign and, only now, the signing form; a
    plain browser opens the request page instead."""
    req = policy.load(ApprovalRequest, request_id, Action.APPROVE)
    if not wants_fragment():
        return redirect(url_for("approvals.request_detail", request_id=req.id))
    return render_item(req, shown=shown_card(req), form=SignForm())


def _chosen() -> list[int]:
    ids = [to_id(value) for value in request.form.getlist("request_id")[:batch.MAX_ITEMS + 1]]
    return list(dict.fromkeys(i for i in ids if i is not None))


def _waiting(chosen: list[int]) -> list[ApprovalRequest]:
    """The chosen requests that wait for the user's signature (policy-scoped, then each one's
    own rule, as a single signature is)."""
    query = policy.scope(select(ApprovalRequest).where(ApprovalRequest.id.in_(chosen)),
                         current_user, ApprovalRequest, Action.APPROVE)
    found = db.session.scalars(query.order_by(ApprovalRequest.id)).all()
    return [r for r in found if policy.can(current_user, Action.APPROVE, r)]


@bp.post("/batch/approve")
@login_required
@once
def request_batch_approve():
    """批量同意: one password, one signature per ticked item with its own content hash; items
    not shown in this session or changed since are refused by name, items of different kinds
    or a wrong password refuse the whole batch."""
    policy.require(Action.VIEW, ApprovalRequest)
    form = BatchSignForm()
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0], "danger")
        return redirect(url_for("approvals.request_inbox"))
    chosen = _chosen()
    try:
        outcomes = batch.approve_all(chosen, _waiting(chosen), current_user, form.password.data,
                                     form.comment.data or "", sent_receipts())
    except approvals.ApprovalError as refusal:
        db.session.commit()  # keeps the failed-password count and its audit event
        flash(refusal.message, "danger")
        return redirect(url_for("approvals.request_inbox"))
    db.session.commit()
    _report(outcomes)
    return redirect(url_for("approvals.request_inbox"))


def _report(outcomes: list[batch.Outcome]) -> None:
    """One message for the signed items, one per refused item with its reason."""
    signed = [o for o in outcomes if o.signed]
    if signed:
        flash(_("已批量同意 %(n)d 项（每项单独签字）：%(items)s", n=len(signed),
                items="；".join(f"#{o.request_id} {o.title}" for o in signed)), "success")
    for outcome in outcomes:
        if not outcome.signed:
            flash(_("#%(id)d %(title)s 未签字：%(reason)s", id=outcome.request_id,
                    title=outcome.title, reason=outcome.reason), "danger")
