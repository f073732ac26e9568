"""The recompute job's progress on the policy page (a self-replacing fragment) and the 客服
manager's button to run it again (resuming an unfinished run)."""

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import jobs, policy
from app.blueprints.service import bp
from app.extensions import db
from app.htmx import redirect, render
from app.models.service.sla import SlaPolicy, SlaRecomputeRun
from app.policy import Action
from app.services.service.sla import recompute

recompute.use_queue(jobs.sla_recompute)


@bp.get("/sla/runs/<int:run_id>")
@login_required
def sla_run_status(run_id: int):
    """A recompute run's progress (polled while it is queued or running)."""
    policy.require(Action.VIEW, SlaPolicy)
    run = db.session.get(SlaRecomputeRun, run_id) or abort(404)
    return render("service/sla/_status.html", run=run)


@bp.post("/sla/recompute")
@login_required
def sla_recompute():
    """Recomputes the open records' deadlines: resumes an unfinished run, else starts one."""
    policy.require(Action.MANAGE, SlaPolicy)
    run = recompute.unfinished() or recompute.request(_("手动重新计算"), current_user.id)
    run_id = run.id
    db.session.commit()
    recompute.enqueue(run_id)
    flash(_("已开始重新计算未完成服务记录的 SLA 期限。"), "success")
    return redirect(url_for("service.sla_policies"))
