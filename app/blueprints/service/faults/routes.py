"""故障分析报告 (/service/faults/): the list and its export, the first report of a major fault,
a report's page, its completion and its print. Thin views: the rules live in app/policy
(FaultRules) and app/services/service/faults/."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status, scoped_list, send_pdf, send_table, show_refusal
from app.blueprints._once import once
from app.blueprints.service import bp
from app.blueprints.service.faults.forms import CompleteForm, FaultFilterForm, FaultForm
from app.extensions import db
from app.htmx import redirect, render
from app.models.service.roster import FaultReport
from app.navigation import service_section
from app.parsing import arg_id
from app.policy import Action
from app.services.service.faults import lists, operations
from app.services.service.faults.pdf import fault_sheet

service_section(60, _l("故障分析报告"), "service.fault_list", FaultReport,
                _l("重大故障：发生时间、地点、现象、处理预案；影响、原因分析、纠正预防措施"))


def _filters(form: FaultFilterForm) -> lists.FaultFilters:
    value = form.checked()
    return lists.FaultFilters(q=value["q"] or "", status=value["status"] or "",
                              after=value["after"] or None, before=value["before"] or None)


@bp.get("/faults/")
@login_required
def fault_list():
    """The fault reports the user may read (客服部; the customer's owner and their manager in
    sales; the GM), latest fault first."""
    scoped = scoped_list(FaultReport)
    form = FaultFilterForm(request.args)
    return render("service/fault/list.html", "results", form=form,
                  listing=lists.listing(scoped, _filters(form)),
                  can_create=policy.can(current_user, Action.CREATE, FaultReport))


@bp.get("/faults/export.xlsx")
@login_required
def fault_export():
    """The list as filtered on the page, every page, with the analysis; audited."""
    scoped = scoped_list(FaultReport, Action.EXPORT)
    form = FaultFilterForm(request.args)
    headers, rows = lists.export_table(scoped, _filters(form))
    return send_table(_("故障分析报告"), headers, rows, "fault-reports.xlsx",
                      object_type="FaultReport", form=form)


@bp.route("/faults/new", methods=["GET", "POST"])
@login_required
@once
def fault_new():
    """Reports a major fault (客服 staff and managers) and sends it to the customer's owner
    and the 客服 manager; refuses a future time and another customer's service record."""
    policy.require(Action.CREATE, FaultReport)
    form = FaultForm()
    if request.method == "GET":
        form.customer_id.data = arg_id("customer")
    if form.validate_on_submit():
        try:
            report = operations.report_fault(form.data_of(), current_user)
        except operations.Refused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("故障报告已登记，已通知客户负责人和客服部经理。"), "success")
            return redirect(url_for("service.fault_detail", report_id=report.id))
    return render("service/fault/form.html", "form", status=form_status(), form=form,
                  customer_text=lists.customer_text(form.customer_id.data, current_user))


@bp.get("/faults/<int:report_id>")
@login_required
def fault_detail(report_id: int):
    """One report; 404 outside the reader's scope or above their clearance."""
    report = lists.load_page(policy.load(FaultReport, report_id, Action.VIEW))
    return render("service/fault/detail.html", report=report,
                  can_complete=policy.can(current_user, Action.EDIT, report))


@bp.route("/faults/<int:report_id>/complete", methods=["GET", "POST"])
@login_required
def fault_complete(report_id: int):
    """Completes the report with its analysis (its reporter or the 客服 manager) and sends it
    again; 403 for readers and for a completed report."""
    report = policy.load(FaultReport, report_id, Action.EDIT)
    form = CompleteForm()
    if form.validate_on_submit():
        try:
            operations.complete(report, form.analysis(), current_user)
        except operations.Refused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("故障分析报告已完成，已通知客户负责人和客服部经理。"), "success")
            return redirect(url_for("service.fault_detail", report_id=report.id))
    return render("service/fault/complete.html", "form", status=form_status(), form=form,
                  report=lists.load_page(report))


@bp.get("/faults/<int:report_id>/print.pdf")
@login_required
def fault_print(report_id: int):
    """The report printed (故障分析报告); audited."""
    return send_pdf(fault_sheet(policy.load(FaultReport, report_id, Action.PRINT),
                                current_user))
