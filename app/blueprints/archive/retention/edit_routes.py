"""The schedule's forms (the administrator only: 403 for its readers): a rule's change, with its
reason, refused when someone saved the rule since the form opened; a rule for a fileable kind
that has none; restarting the recompute; and the recompute's progress, which every reader's
page polls. A saved change starts the recompute of that kind's filed items."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import jobs, policy
from app.blueprints._kit import form_status, show_refusal
from app.blueprints._once import once
from app.blueprints.archive import bp
from app.extensions import db
from app.forms import options
from app.htmx import redirect, render
from app.models.archive import RetentionRule, RetentionRun
from app.policy import Action
from app.services.archive import schedule, schedule_runs
from app.services.archive.schedule import ScheduleRefused
from app.services.core.errors import EditConflict

from .forms import NewRuleForm, RuleForm

schedule_runs.use_queue(jobs.retention_recompute)


@bp.route("/retention/<int:rule_id>/edit", methods=["GET", "POST"])
@login_required
def retention_edit(rule_id: int):
    """A rule's period and trigger event, with the reason for the change."""
    policy.require(Action.MANAGE, RetentionRule)
    rule = db.session.get(RetentionRule, rule_id) or abort(404)
    form = RuleForm()
    if request.method == "GET":
        form.fill(rule)
    elif form.validate_on_submit():
        try:
            run = schedule.change(rule, form.period(), form.reason.data, form.stamp.data,
                                  current_user)
        except EditConflict:
            db.session.rollback()
            form.fill(db.session.get(RetentionRule, rule_id))
            form.form_errors.append(_("该保管期限已被他人修改，页面已显示最新内容，请核对后重新保存。"))
        except ScheduleRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            _after_change(run)
            return redirect(url_for("archive.retention_list"))
    return render("archive/retention/form.html", "form", status=form_status(), form=form,
                  rule=rule, label=schedule.kind_label(rule.record_type))


def _after_change(run: RetentionRun | None) -> None:
    """After the commit: the recompute enqueued, the outcome flashed."""
    if run is None:
        flash(_("保管期限没有变化。"), "info")
        return
    schedule_runs.enqueue(run.id)
    flash(_("保管期限已保存，正在重新计算该类在库档案的到期日。"), "success")


@bp.route("/retention/new", methods=["GET", "POST"])
@login_required
@once
def retention_new():
    """The rule of a kind that can be filed but has none (its filing waits for it)."""
    policy.require(Action.MANAGE, RetentionRule)
    form = NewRuleForm()
    form.record_type.choices = options([("", _("请选择档案类别"))], schedule.unset_types())
    if request.method == "GET":
        form.record_type.data = request.args.get("record_type", "")
        form.trigger.data = "signing"
    elif form.validate_on_submit():
        try:
            schedule.add(form.record_type.data, form.period(), form.reason.data, current_user)
        except ScheduleRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("保管期限已设置，该类记录现在可以归档。"), "success")
            return redirect(url_for("archive.retention_list"))
    return render("archive/retention/form.html", "form", status=form_status(), form=form,
                  rule=None, label=_("新增保管期限"))


@bp.post("/retention/recompute")
@login_required
def retention_recompute():
    """Recomputes every filed item's retention: resumes an unfinished run, else starts one."""
    policy.require(Action.MANAGE, RetentionRule)
    run = schedule_runs.unfinished() or schedule_runs.request(None, _("手动重新计算"),
                                                               current_user.id)
    run_id = run.id
    db.session.commit()
    schedule_runs.enqueue(run_id)
    flash(_("已开始重新计算在库档案的到期日。"), "success")
    return redirect(url_for("archive.retention_list"))


@bp.get("/retention/runs/<int:run_id>")
@login_required
def retention_run_status(run_id: int):
    """A recompute run's progress (polled while it is queued or running)."""
    policy.require(Action.VIEW, RetentionRule)
    run = db.session.get(RetentionRun, run_id) or abort(404)
    return render("archive/retention/_status.html", run=run)
