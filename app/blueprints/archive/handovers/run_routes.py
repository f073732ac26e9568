"""Filing runs: 月度归档 (/archive/handovers/monthly), where the archivist runs the monthly
filing for a chosen month and department (the timer runs last month's on the 1st); a monthly
run's page with its progress (the `status` block, polled while it runs) and its reconciled
summary with the refusals; and resuming a run that was interrupted."""

from flask import flash, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status, show_refusal
from app.blueprints._once import once
from app.blueprints.archive import bp
from app.blueprints.archive.handovers.forms import MonthlyForm
from app.extensions import db
from app.forms import options
from app.htmx import redirect, render
from app.models.archive import ArchiveFilingRun
from app.navigation import archive_section
from app.policy import Action
from app.services.archive.handovers import execution, lists, monthly, runs
from app.services.core.errors import Refused
from app.timeutil import local_today

archive_section(25, _l("月度归档"), "archive.handover_monthly", ArchiveFilingRun,
                _l("每月对各部门上月审批生效的记录分类归档，进度与核对结果可查"))


@bp.route("/handovers/monthly", methods=["GET", "POST"])
@login_required
@once
def handover_monthly():
    """The monthly filing's form (the archivist; the GM reads the runs) and its latest runs;
    refuses a month still ahead."""
    policy.require(Action.VIEW, ArchiveFilingRun)
    form = MonthlyForm()
    form.department.choices = options([("", _("全部部门"))],
                                      [(str(i), name) for i, name in lists.department_choices()])
    may_run = policy.can(current_user, Action.MANAGE, ArchiveFilingRun)
    if form.is_submitted():
        policy.require(Action.MANAGE, ArchiveFilingRun)
    if form.validate_on_submit():
        try:
            run = monthly.request(form.chosen_month(), form.chosen_department(), current_user)
        except Refused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            run_id = run.id
            db.session.commit()
            execution.enqueue(run_id)
            flash(_("月度归档已开始。"), "success")
            return redirect(url_for("archive.handover_monthly_run", run_id=run_id))
    elif not form.is_submitted():
        form.month.data = monthly.last_month(local_today()).strftime("%Y-%m")
    return render("archive/handovers/monthly.html", "form", status=form_status(), form=form,
                  may_run=may_run, recent=runs.recent_monthly())


@bp.get("/handovers/monthly/<int:run_id>")
@login_required
def handover_monthly_run(run_id: int):
    """A monthly run: its progress, and the lists of its month with their reconciled summary
    (as the reader may see their lines)."""
    run = policy.load(ArchiveFilingRun, run_id, Action.VIEW)
    if run.handover_id is not None:  # a list's own run: its progress is on the list's page
        return redirect(url_for("archive.handover_detail", handover_id=run.handover_id))
    return render("archive/handovers/run.html", "status", page=lists.run_page(run, current_user),
                  running=runs.running(run))


@bp.post("/handovers/runs/<int:run_id>/resume")
@login_required
def handover_run_resume(run_id: int):
    """Continues an interrupted or stalled run (the archivist) from where it stopped; a
    finished run is left as it is."""
    run = policy.load(ArchiveFilingRun, run_id, Action.MANAGE)
    back = (url_for("archive.handover_detail", handover_id=run.handover_id) if run.handover_id
            else url_for("archive.handover_monthly_run", run_id=run.id))
    if runs.finished(run):
        flash(_("该归档作业已完成。"), "info")
        return redirect(back)
    execution.enqueue(run.id)
    flash(_("已继续归档作业。"), "success")
    return redirect(back)
