"""Visit plans (表5-28): plan, see, edit and cancel one. Staff pick the customer among their own,
managers among their department's (the customer picker, customers.customer_pick; the choice is
checked again against policy.scope on Customer); the record then belongs where its customer
belongs."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import flash_outcome, show_refusal, show_stale_edit
from app.blueprints._once import once
from app.blueprints.sales import bp
from app.blueprints.sales.visits.forms import PlanForm
from app.blueprints.sales.visits.views import (
    chosen_customer,
    contact_names,
    customer_scope,
    set_customer_choices,
)
from app.extensions import db
from app.htmx import redirect, render
from app.models import VisitPlan, VisitReport, VisitStatus
from app.parsing import arg_day, arg_id
from app.policy import Action
from app.services.core.edits import stamp
from app.services.core.errors import EditConflict
from app.services.sales.visits import lists as visit_lists
from app.services.sales.visits import operations as visits
from app.timeutil import local_today

PLAN_FORM = "sales/visit/plan_form.html"


def _plan_page(form, plan, customer, status=200):
    set_customer_choices(form, customer)
    if plan is not None:
        visit_lists.load_page(plan)  # read again if a rollback expired it
    return render(PLAN_FORM, "form", status=status, form=form, plan=plan,
                  contacts=contact_names(customer))


@bp.route("/visits/plans/new", methods=["GET", "POST"])
@login_required
@once
def visit_plan_new():
    """Plans a visit to a customer the user may see in full; sales staff and managers."""
    policy.require(Action.CREATE, VisitPlan)
    form = PlanForm()
    customer = None
    if request.method == "GET":
        customer = visits.customer_in(customer_scope(), arg_id("customer"))
        form.customer.data = customer.id if customer else None
        form.planned_date.data = arg_day("date") or local_today()
        primary = contact_names(customer)[:1]
        form.contact_name.data = primary[0].name if primary else None
    elif form.validate_on_submit():
        customer = chosen_customer(form)
        if customer is not None:
            plan = visits.create_plan(customer, form.data_object(), current_user)
            db.session.commit()
            flash(_("拜访计划已保存。"), "success")
            return redirect(url_for("sales.visit_plan_detail", plan_id=plan.id))
    else:
        customer = chosen_customer(form)
    return _plan_page(form, None, customer, 200 if request.method == "GET" else 422)


@bp.get("/visits/plans/<int:plan_id>")
@login_required
def visit_plan_detail(plan_id: int):
    """One visit plan with its report, if made; 404 outside the user's scope or clearance."""
    plan = policy.load(VisitPlan, plan_id, Action.VIEW, visit_lists.page_loads(VisitPlan))
    return render("sales/visit/plan_detail.html", plan=plan, report=visits.report_of(plan),
                  today=local_today(),
                  can_report=policy.can(current_user, Action.CREATE, VisitReport))


@bp.route("/visits/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def visit_plan_edit(plan_id: int):
    """Edits a planned visit; refuses a done or cancelled one and a stale form (kept typed)."""
    plan = policy.load(VisitPlan, plan_id, Action.EDIT)
    if plan.status != VisitStatus.PLANNED:
        flash(_("已拜访或已取消的计划不能修改。"), "warning")
        return redirect(url_for("sales.visit_plan_detail", plan_id=plan.id))
    form = PlanForm(obj=plan, keep_date=plan.planned_date)
    if request.method == "GET":
        form.customer.data, form.stamp.data = plan.customer_id, stamp(plan)
        return _plan_page(form, plan, plan.customer)
    valid = form.validate_on_submit()
    customer = chosen_customer(form, plan.customer)
    if valid and customer is not None:
        try:
            visits.update_plan(plan, customer, form.data_object(), form.stamp.data or "",
                               current_user)
        except EditConflict:
            show_stale_edit(form, "stamp", stamp(plan), _(
                "在您编辑期间，该计划已被他人修改。您的修改尚未保存，请核对后再次提交。"))
        except visits.Refused as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("拜访计划已保存。"), "success")
            return redirect(url_for("sales.visit_plan_detail", plan_id=plan.id))
    db.session.rollback()
    return _plan_page(form, plan, customer or plan.customer, 422)


@bp.post("/visits/plans/<int:plan_id>/cancel")
@login_required
def visit_plan_cancel(plan_id: int):
    """Cancels a planned visit (the page asks for confirmation); refuses a done one."""
    plan = policy.load(VisitPlan, plan_id, Action.EDIT)
    flash_outcome(lambda: visits.cancel_plan(plan, current_user), _("拜访计划已取消。"),
                  visits.Refused, refused_as="warning")
    return redirect(url_for("sales.visit_plan_detail", plan_id=plan_id))
