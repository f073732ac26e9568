"""The archivist's decisions on a list's lines (POST `item_ids`, repeated): accepting them
(their filing and receipt check run as a job whose progress the list's page shows) or
returning them to the department with a reason. A decision acts only on lines still waiting,
so that posting it twice changes nothing the second time."""

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import jobs, policy
from app.blueprints._once import once
from app.blueprints.archive import bp
from app.blueprints.archive.handovers.forms import DecisionForm, posted_ids
from app.extensions import db
from app.htmx import redirect
from app.models.archive import ArchiveHandover
from app.policy import Action
from app.services.archive.handovers import execution, operations

execution.use_queue(jobs.archive_filing)


def _back(handover_id: int):
    return redirect(url_for("archive.handover_detail", handover_id=handover_id))


def _invalid(form) -> None:
    messages = [m for errors in form.errors.values() for m in errors]
    flash(str(messages[0]) if messages else _("请检查填写的内容。"), "danger")


def _decide(handover_id: int, decision) -> tuple[bool, object]:
    """(True, what `decision(handover, line ids, form)` returned) on a valid form with lines
    chosen; (False, None), with the message shown, when there was nothing to decide."""
    handover = policy.load(ArchiveHandover, handover_id, Action.MANAGE)
    form = DecisionForm()
    if not form.validate_on_submit():
        _invalid(form)
        return False, None
    try:
        line_ids = posted_ids("item_ids")
        if not line_ids:
            flash(_("请先勾选要处理的记录。"), "warning")
            return False, None
        return True, decision(handover, line_ids, form)
    except operations.HandoverRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "danger")
        return False, None


@bp.post("/handovers/<int:handover_id>/accept")
@login_required
@once
def handover_accept(handover_id: int):
    """Accepts the chosen waiting lines (the archivist) and files them in the background, each
    checked at receipt; lines decided already are left as they are."""
    decided, run = _decide(handover_id, lambda handover, ids, _form: operations.accept(
        handover, ids, current_user))
    if decided and run is None:
        flash(_("所选记录都已处理过，没有重复接收。"), "info")
    elif decided:
        run_id = run.id
        db.session.commit()
        execution.enqueue(run_id)
        flash(_("已接收所选记录，正在归档并检测。"), "success")
    return _back(handover_id)


@bp.post("/handovers/<int:handover_id>/reject")
@login_required
@once
def handover_reject(handover_id: int):
    """Returns the chosen waiting lines to the department (the archivist); refuses without a
    reason."""
    decided, count = _decide(handover_id, lambda handover, ids, form: operations.reject(
        handover, ids, form.reason.data, current_user))
    if decided:
        db.session.commit()
        if count:
            flash(_("已退回 %(n)d 条记录。", n=count), "success")
        else:
            flash(_("所选记录都已处理过，没有重复退回。"), "info")
    return _back(handover_id)
