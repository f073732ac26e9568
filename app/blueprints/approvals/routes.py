"""Inbox, request page, approve / reject / withdraw, and the navigation counter."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.blueprints._kit import flash_outcome
from app.blueprints._once import once
from app.blueprints.approvals import bp
from app.blueprints.approvals.forms import SignForm
from app.blueprints.approvals.inbox_routes import render_item, sent_receipts, shown_card
from app.extensions import db
from app.forms import EmptyForm
from app.htmx import is_htmx, redirect, render, trigger
from app.models import ApprovalRequest, Decision
from app.policy import Action
from app.services.approvals import badges, cards, pages, receipts
from app.services.approvals import engine as approvals
from app.services.approvals.steps import frozen_steps
from app.services.core import notifications

INBOX = "approvals/request/inbox.html"
DETAIL = "approvals/request/detail.html"


@bp.get("/")
@login_required
def request_inbox():
    """我的待办: what waits for the user's signature, and their own recent submissions."""
    policy.require(Action.VIEW, ApprovalRequest)
    user = current_user._get_current_object()
    page, total, capped = pages.inbox_page(user, _scoped(user, Action.APPROVE),
                                           request.args.get("after"), request.args.get("before"))
    return render(INBOX, "inbox", page=page, total=total, capped=capped,
                  submitted=pages.recent_submissions(user, _scoped(user, Action.VIEW)),
                  form=SignForm(), figures=cards.row_figures(page.rows),
                  notices=notifications.recent(user.id, 10))


def _scoped(user, action: Action):
    """The requests `user` may do `action` on, built only when a kept statement is built."""
    return lambda: policy.scope(select(ApprovalRequest), user, ApprovalRequest, action)


@bp.get("/count")
@login_required
def request_count():
    """The navigation badge: requests waiting for the user plus unread notices (polled)."""
    policy.require(Action.VIEW, ApprovalRequest)
    todo = badges.todo(current_user)
    return render("approvals/request/_count.html", count=todo.waiting, capped=todo.capped,
                  unread=todo.unread)


@bp.get("/<int:request_id>")
@login_required
def request_detail(request_id: int):
    """One request: the frozen content it signs as a card, its steps, signatures, and the
    signing form (carrying the receipt of this showing) when it is one's turn."""
    req = policy.load(ApprovalRequest, request_id, Action.VIEW)
    record = approvals.record_of(req)
    shown = shown_card(req)
    pages.load_requests([req])
    return render(DETAIL, "content", req=req, steps=frozen_steps(req), form=SignForm(),
                  action_form=EmptyForm(), record=record, shown=shown,
                  record_link=approvals.kind_of(req).link(record).url(),
                  may_print=policy.can(current_user, Action.PRINT, req),
                  may_sign=pages.allowed(current_user, Action.APPROVE, [req]))


def _sign(request_id: int, decision: Decision):
    req = policy.load(ApprovalRequest, request_id, Action.APPROVE)
    form = SignForm()
    error = None
    if form.validate_on_submit():
        try:
            unseen = receipts.refusal(req, sent_receipts().get(req.id))
            if unseen:
                raise approvals.ApprovalError(unseen, 422)
            approvals.sign(req, current_user, decision, form.comment.data or "",
                           form.password.data)
        except approvals.ApprovalError as refusal:
            db.session.commit()  # keeps the failed-password count and its audit event
            error, status = refusal.message, refusal.status
        else:
            db.session.commit()
            return _signed(req, decision)
    else:
        error, status = next(iter(form.errors.values()))[0], 422
    if is_htmx() and request.headers.get("HX-Boosted") != "true":
        return render_item(req, status=status, form=form, error=error, shown=shown_card(req))
    flash(error, "danger")
    return redirect(request.referrer or url_for("approvals.request_detail", request_id=req.id))


def _signed(req: ApprovalRequest, decision: Decision):
    message = _("已同意。") if decision == Decision.APPROVE else _("已驳回，已通知提交人。")
    if is_htmx() and request.headers.get("HX-Boosted") != "true":
        return trigger(render_item(req, done=message), "approvals-changed")
    flash(message, "success")
    return redirect(request.referrer or url_for("approvals.request_inbox"))


@bp.post("/<int:request_id>/approve")
@login_required
@once
def request_approve(request_id: int):
    """Signs the current step in agreement (password re-entered); refuses non-approvers."""
    return _sign(request_id, Decision.APPROVE)


@bp.post("/<int:request_id>/reject")
@login_required
@once
def request_reject(request_id: int):
    """Rejects with a comment; the record goes back to its submitter as a draft."""
    return _sign(request_id, Decision.REJECT)


@bp.post("/<int:request_id>/withdraw")
@login_required
def request_withdraw(request_id: int):
    """The submitter takes the request back before anyone signs."""
    req = policy.load(ApprovalRequest, request_id, Action.SUBMIT)
    flash_outcome(lambda: approvals.withdraw(req, current_user),
                  _("已撤回，记录已回到草稿状态。"), approvals.ApprovalError)
    return redirect(request.referrer or url_for("approvals.request_detail", request_id=req.id))


@bp.post("/notifications/read")
@login_required
def notifications_read():
    """Marks the user's notices read."""
    policy.require(Action.VIEW, ApprovalRequest)
    notifications.mark_all_read(current_user.id)
    db.session.commit()
    return trigger(redirect(url_for("approvals.request_inbox")), "approvals-changed")
