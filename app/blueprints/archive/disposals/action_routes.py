"""A disposal list's actions, each back to the list's page with its outcome: a reviewer keeps
an item (with a reason), the archivist, a reviewer or the GM aborts the list during its
waiting period (with a reason), the archivist countersigns with their password and starts the
execution (or resumes an interrupted one), whose progress the page polls. The rules are in
app/services/archive/disposals/."""

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import jobs, policy
from app.blueprints._kit import show_refusal
from app.blueprints.archive import bp
from app.blueprints.archive.disposals.forms import AbortForm, ExecuteForm, KeepForm
from app.blueprints.archive.disposals.pages import detail_page
from app.extensions import db
from app.htmx import redirect, render
from app.models.archive import DisposalList
from app.policy import Action
from app.services.approvals.engine import ApprovalError
from app.services.archive.disposals import execution, lists, operations
from app.services.archive.disposals.operations import DisposalRefused

execution.use_queue(jobs.archive_disposal)


def _back(disposal: DisposalList):
    return redirect(url_for("archive.disposal_detail", disposal_id=disposal.id))


@bp.post("/disposals/<int:disposal_id>/keep")
@login_required
def disposal_keep(disposal_id: int):
    """A reviewer (the department's manager, the GM) keeps one item of an open list, with a
    reason: it leaves the list and is never destroyed by it. 403 for anyone else."""
    disposal = policy.load(DisposalList, disposal_id, Action.APPROVE)
    form = KeepForm()
    if form.validate_on_submit():
        try:
            operations.keep(disposal, form.entry_id.data, form.reason.data, current_user)
        except DisposalRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("已决定保留该档案，执行时不会销毁。"), "success")
            return _back(disposal)
    return detail_page(disposal, 422, keep_form=form)


@bp.post("/disposals/<int:disposal_id>/abort")
@login_required
def disposal_abort(disposal_id: int):
    """Aborts a list during its waiting period (the archivist, the reviewers), with a reason:
    nothing on it is destroyed. 403 in any other state."""
    disposal = policy.load(DisposalList, disposal_id, Action.EDIT)
    form = AbortForm()
    if form.validate_on_submit():
        try:
            operations.abort(disposal, form.reason.data, current_user)
        except DisposalRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("销毁清单已中止，清单中的档案恢复在库。"), "success")
            return _back(disposal)
    return detail_page(disposal, 422, abort_form=form)


@bp.post("/disposals/<int:disposal_id>/execute")
@login_required
def disposal_execute(disposal_id: int):
    """The archivist countersigns (会签, password re-entered) an approved list past its waiting
    period and starts its execution, or resumes an interrupted one; refuses a wrong password,
    a list still waiting and any other state."""
    disposal = policy.load(DisposalList, disposal_id, Action.DISPOSE)
    form = ExecuteForm()
    if form.validate_on_submit():
        try:
            operations.start(disposal, current_user, form.password.data)
        except ApprovalError as refusal:
            db.session.commit()  # keeps the failed-password count and its audit event
            show_refusal(form, refusal)
        except DisposalRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            execution.enqueue(disposal.id)
            flash(_("已会签，开始执行销毁。"), "success")
            return _back(disposal)
    return detail_page(disposal, 422, execute_form=form)


@bp.get("/disposals/<int:disposal_id>/status")
@login_required
def disposal_status(disposal_id: int):
    """The execution's progress (polled while it is queued or running)."""
    page = lists.load_page(policy.load(DisposalList, disposal_id, Action.VIEW))
    return render("archive/disposals/_status.html", page=page, disposal=page.disposal)
