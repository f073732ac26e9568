"""Visit reports (表5-29 客户拜访报告, 客户拜访记录表): record one, alone or fulfilling a plan
(which is then done), see it and edit it."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import show_refusal, show_stale_edit
from app.blueprints._once import once
from app.blueprints.sales import bp
from app.blueprints.sales.visits.forms import ReportForm
from app.blueprints.sales.visits.views import (
    chosen_customer,
    contact_names,
    customer_scope,
    set_customer_choices,
)
from app.extensions import db
from app.htmx import redirect, render
from app.models import VisitPlan, VisitReport, VisitStatus
from app.parsing import arg_id
from app.policy import Action
from app.services.core.edits import stamp
from app.services.core.errors import EditConflict
from app.services.sales.visits import grid as visit_grid
from app.services.sales.visits import lists as visit_lists
from app.services.sales.visits import operations as visits
from app.timeutil import local_now

REPORT_FORM = "sales/visit/report_form.html"


def _report_page(form, report, plan, customer, status=200):
    for record in (report, plan):  # read again if a rollback expired them
        if record is not None:
            visit_lists.load_page(record)
    if plan is not None:
        customer = plan.customer
    set_customer_choices(form, customer)
    return render(REPORT_FORM, "form", status=status, form=form, report=report, plan=plan,
                  contacts=contact_names(customer))


def _plan_to_fulfil() -> VisitPlan | None:
    """The plan named by ?plan=: one the user may edit (404/403), still planned."""
    plan_id = arg_id("plan")
    if plan_id is None:
        return None
    return policy.load(VisitPlan, plan_id, Action.EDIT)


def _defaults(form: ReportForm, plan: VisitPlan | None) -> None:
    """A new report starts now, with the customer (and the plan's contact and purpose)."""
    form.visited_at.data = local_now().replace(tzinfo=None, second=0, microsecond=0)
    if plan is not None:
        form.customer.data = plan.customer_id
        form.contact_met.data, form.purpose.data = plan.contact_name, plan.purpose
    else:
        customer = visits.customer_in(customer_scope(), arg_id("customer"))
        form.customer.data = customer.id if customer else None


@bp.route("/visits/reports/new", methods=["GET", "POST"])
@login_required
@once
def visit_report_new():
    """Records a visit; with ?plan= it fulfils that plan (refused if done or cancelled)."""
    plan = _plan_to_fulfil()
    policy.require(Action.CREATE, VisitReport)
    if plan is not None and plan.status != VisitStatus.PLANNED:
        flash(_("该拜访计划已执行或已取消，不能再登记报告。"), "warning")
        return redirect(url_for("sales.visit_plan_detail", plan_id=plan.id))
    form = ReportForm()
    if request.method == "GET":
        _defaults(form, plan)
        return _report_page(form, None, plan, None)
    if plan is not None:
        form.customer.data = plan.customer_id
    valid = form.validate_on_submit()
    customer = plan.customer if plan is not None else chosen_customer(form)
    if valid and customer is not None:
        try:
            report = visits.create_report(customer, form.data_object(), current_user, plan)
        except visits.Refused as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("拜访报告已保存。"), "success")
            return redirect(url_for("sales.visit_report_detail", report_id=report.id))
    return _report_page(form, None, plan, customer, 422)


@bp.get("/visits/reports/<int:report_id>")
@login_required
def visit_report_detail(report_id: int):
    """One visit report in the 客户拜访记录表 layout; 404 outside the user's scope or clearance."""
    report = policy.load(VisitReport, report_id, Action.VIEW,
                         visit_lists.page_loads(VisitReport))
    person = visit_grid.visitees([report.customer])[report.customer_id]
    return render("sales/visit/report_detail.html", report=report, person=person,
                  visited_at=visits.local_visit_time(report))


@bp.route("/visits/reports/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
def visit_report_edit(report_id: int):
    """Edits a visit report; the customer of a report fulfilling a plan stays the plan's; a
    stale form is refused and kept as typed."""
    report = policy.load(VisitReport, report_id, Action.EDIT)
    form = ReportForm(obj=report)
    if request.method == "GET":
        form.customer.data, form.stamp.data = report.customer_id, stamp(report)
        form.visited_at.data = visits.local_visit_time(report)
        form.interest.data = report.interest.value if report.interest else ""
        return _report_page(form, report, report.plan, report.customer)
    if report.plan_id is not None:
        form.customer.data = report.customer_id
    valid = form.validate_on_submit()
    customer = chosen_customer(form, report.customer)
    if valid and customer is not None:
        try:
            visits.update_report(report, customer, form.data_object(), form.stamp.data or "",
                                 current_user)
        except EditConflict:
            show_stale_edit(form, "stamp", stamp(report), _(
                "在您编辑期间，该报告已被他人修改。您的修改尚未保存，请核对后再次提交。"))
        except visits.Refused as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("拜访报告已保存。"), "success")
            return redirect(url_for("sales.visit_report_detail", report_id=report.id))
    db.session.rollback()
    return _report_page(form, report, report.plan, customer or report.customer, 422)
