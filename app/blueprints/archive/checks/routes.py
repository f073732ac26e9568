"""四性检测 (/archive/checks/): the runs and their export, a new run over all or part of the
archive, a run's page with its progress, report and failure list, and resuming an interrupted
run. Thin views: the rules live in app/policy/archive/checks.py and
app/services/archive/checks/."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import jobs, policy
from app.blueprints._kit import form_status, scoped_list, send_table, show_refusal
from app.blueprints._once import once
from app.blueprints.archive import bp
from app.blueprints.archive.checks.forms import (
    CheckForm,
    FailureFilterForm,
    RunFilterForm,
    SignForm,
)
from app.extensions import db
from app.htmx import redirect, render
from app.models.archive import ArchiveCheckRun, CheckRunStatus, CheckScope, CheckTrigger
from app.navigation import archive_section
from app.parsing import to_id
from app.policy import Action
from app.services.archive.checks import lists, report, runs, scopes
from app.services.core.audit_labels import object_type_label
from app.services.core.record_kinds import filing_types

archive_section(70, _l("四性检测"), "archive.check_list", ArchiveCheckRun,
                _l("真实性、完整性、可用性、安全性检测；检测报告签署、打印"))
runs.use_queue(jobs.archive_check)


@bp.get("/checks/")
@login_required
def check_list():
    """The runs, newest first (the archivist, the GM and the auditor)."""
    scoped = scoped_list(ArchiveCheckRun)
    form = RunFilterForm(request.args)
    value = form.checked()
    return render("archive/checks/list.html", "results", form=form,
                  listing=lists.listing(scoped, value["status"], value["after"],
                                        value["before"]),
                  scope_text=lists.scope_text,
                  can_create=policy.can(current_user, Action.CREATE, ArchiveCheckRun))


@bp.get("/checks/export.xlsx")
@login_required
def check_export():
    """The runs as filtered, every page; audited."""
    scoped = scoped_list(ArchiveCheckRun, Action.EXPORT)
    form = RunFilterForm(request.args)
    headers, rows = lists.export_table(scoped, form.checked()["status"])
    return send_table(_("四性检测"), headers, rows, "archive-checks.xlsx",
                      object_type="ArchiveCheckRun", form=form)


def _check_form() -> CheckForm:
    form = CheckForm()
    form.offer(lists.departments(),
               [(kind, object_type_label(kind)) for kind in filing_types()])
    return form


def _item_ids(form: CheckForm) -> list[int] | None:
    """The chosen items: ids posted by a selection (item_ids) and 档号 typed; None with the
    field's error when a number names no item the user may know."""
    if form.scope.data != CheckScope.SELECTION.value:
        return []
    posted = [to_id(value) for value in request.form.getlist("item_ids")]
    ids, unknown = scopes.items_by_number(form.numbers_typed(), current_user)
    if unknown:
        form.numbers.errors = [_("以下档号不存在：%(numbers)s", numbers="、".join(unknown[:20]))]
        return None
    return ids + [item_id for item_id in posted if item_id]


def _start(form: CheckForm) -> int | None:
    """Requests and commits the run, then queues it; None with the reason on the form."""
    try:
        item_ids = _item_ids(form)
        if item_ids is None:
            return None
        run_id = scopes.request(form.choice(item_ids), current_user, CheckTrigger.PAGE).id
    except scopes.CheckRefused as refusal:
        db.session.rollback()
        show_refusal(form, refusal)
        return None
    db.session.commit()
    runs.enqueue(run_id)
    return run_id


@bp.route("/checks/new", methods=["GET", "POST"])
@login_required
@once
def check_new():
    """Starts a check over the archive or part of it (the archivist and the GM); refuses an
    incomplete scope and 档号 the user may not know."""
    policy.require(Action.CREATE, ArchiveCheckRun)
    form = _check_form()
    if form.validate_on_submit() and (run_id := _start(form)):
        flash(_("四性检测已开始。"), "success")
        return redirect(url_for("archive.check_detail", run_id=run_id))
    return render("archive/checks/new.html", "form", status=form_status(), form=form)


@bp.get("/checks/<int:run_id>")
@login_required
def check_detail(run_id: int):
    """A run: its progress, its report and its failure list (within the reader's clearance)."""
    check_run = policy.load(ArchiveCheckRun, run_id, Action.VIEW)
    filters = FailureFilterForm(request.args)
    value = filters.checked()
    page, total, capped = report.failure_page(
        report.failures(check_run, current_user, value["outcome"]), value["after"],
        value["before"])
    shown = report.report(check_run)
    return render("archive/checks/detail.html", "failures", report=shown, filters=filters,
                  page=page, total=total, capped=capped, scope=lists.scope_text(check_run),
                  page_args={**request.args.to_dict(), "run_id": run_id},
                  hidden=report.hidden_count(check_run, current_user),
                  can_sign=_may_sign(check_run), sign_form=SignForm(),
                  can_resume=policy.can(current_user, Action.EDIT, check_run)
                  and runs.resumable(check_run))


def _may_sign(check_run: ArchiveCheckRun) -> bool:
    return (policy.can(current_user, Action.APPROVE, check_run)
            and check_run.status == CheckRunStatus.DONE and not check_run.signed_by_id)


@bp.get("/checks/<int:run_id>/status")
@login_required
def check_status(run_id: int):
    """The run's progress (polled while it is queued or running); once it has ended, the page
    reloads to show the report."""
    check_run = policy.load(ArchiveCheckRun, run_id, Action.VIEW)
    response = render("archive/checks/_status.html", run=check_run)
    if check_run.status not in (CheckRunStatus.QUEUED, CheckRunStatus.RUNNING):
        response.headers["HX-Refresh"] = "true"
    return response


@bp.post("/checks/<int:run_id>/resume")
@login_required
def check_resume(run_id: int):
    """Resumes an interrupted run after its last committed chunk (the archivist and the GM);
    a run still alive or finished is left alone."""
    check_run = policy.load(ArchiveCheckRun, run_id, Action.EDIT)
    if runs.resumable(check_run):
        runs.enqueue(run_id)
        flash(_("已从中断处继续检测。"), "success")
    else:
        flash(_("该检测没有中断，无需继续。"), "info")
    return redirect(url_for("archive.check_detail", run_id=run_id))
