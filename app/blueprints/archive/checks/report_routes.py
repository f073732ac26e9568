"""A check's report: signed by the archivist (password re-entered), printed as PDF, and its
failure list exported; the reader's clearance bounds the items either shows."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import send_pdf, send_table
from app.blueprints.archive import bp
from app.blueprints.archive.checks.forms import FailureFilterForm, SignForm
from app.extensions import db
from app.htmx import redirect
from app.models.archive import ArchiveCheckRun
from app.policy import Action
from app.services.approvals.engine import ApprovalError
from app.services.archive.checks import report
from app.services.archive.checks.report_pdf import report_pdf
from app.services.archive.checks.scopes import CheckRefused


@bp.post("/checks/<int:run_id>/sign")
@login_required
def check_sign(run_id: int):
    """Signs a finished report with the archivist's password; refuses others, a run still
    going, a report already signed and a wrong password."""
    check_run = policy.load(ArchiveCheckRun, run_id, Action.APPROVE)
    form = SignForm()
    target = url_for("archive.check_detail", run_id=run_id)
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0], "danger")
        return redirect(target)
    try:
        report.sign(check_run, current_user, form.password.data)
    except CheckRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "danger")
    except ApprovalError as refusal:
        db.session.commit()  # nothing signed: keeps the failed-password count
        flash(refusal.message, "danger")
    else:
        db.session.commit()
        flash(_("检测报告已签署。"), "success")
    return redirect(target)


@bp.get("/checks/<int:run_id>/report.pdf")
@login_required
def check_report(run_id: int):
    """The report printed (档案四性检测报告), with the items within the reader's clearance;
    audited."""
    return send_pdf(report_pdf(policy.load(ArchiveCheckRun, run_id, Action.PRINT),
                               current_user))


@bp.get("/checks/<int:run_id>/failures.xlsx")
@login_required
def check_failures_export(run_id: int):
    """The run's failure list as filtered on its page, every page; audited."""
    check_run = policy.load(ArchiveCheckRun, run_id, Action.EXPORT)
    form = FailureFilterForm(request.args)
    query = report.failures(check_run, current_user, form.checked()["outcome"])
    headers, rows = report.export_table(query)
    return send_table(_("四性检测问题清单"), headers, rows, f"archive-check-{run_id}.xlsx",
                      object_type="ArchiveCheckRun", form=form)
