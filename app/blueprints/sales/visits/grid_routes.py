"""计划拜访次数与实际执行情况: the 12-month planned vs actual grid of one customer (its page)
and of every customer visited in a year (the overview), each with its Excel export."""

from flask import request
from flask_babel import gettext as _
from flask_login import login_required

from app import policy
from app.blueprints._kit import scoped_list
from app.blueprints.sales import bp
from app.blueprints.sales.visits.forms import GridForm
from app.blueprints.sales.visits.views import (
    owner_filter,
    owner_options,
    rights,
    send_visit_table,
)
from app.extensions import db
from app.htmx import render
from app.models import Customer, VisitPlan, VisitReport
from app.policy import Action
from app.services.sales.visits import exports as visit_exports
from app.services.sales.visits import grid as visit_grid
from app.services.sales.visits.lists import DAY_CAP
from app.timeutil import local_today


def _year(form: GridForm) -> int:
    """The chosen year, the current one if none or out of range."""
    form.validate()
    year = form.year.data if not form.year.errors else None
    return year if year and 2000 <= year <= 2100 else local_today().year


def _customer_grid(customer_id: int, action: Action):
    """One customer's grid for the year, counted over the visit records the user may see."""
    customer = policy.load(Customer, customer_id, Action.VIEW)
    year = _year(GridForm(request.args))
    plans, reports = scoped_list(VisitPlan, action), scoped_list(VisitReport, action)
    grid = visit_grid.month_grids(plans, reports, year, [customer.id])[customer.id]
    person = visit_grid.visitees([customer])[customer.id]
    return customer, year, grid, person, plans, reports


@bp.get("/visits/customers/<int:customer_id>")
@login_required
def visit_customer(customer_id: int):
    """A customer's planned vs actual visits per month of a year, and that year's plans and
    reports; needs the customer's full profile (404 above clearance, 403 card only)."""
    customer, year, grid, person, plans, reports = _customer_grid(customer_id, Action.VIEW)
    bounds = visit_grid.year_bounds(year)
    plan_rows = db.session.scalars(
        plans.where(VisitPlan.customer_id == customer.id, VisitPlan.planned_date >= bounds[0],
                    VisitPlan.planned_date < bounds[1])
        .order_by(VisitPlan.planned_date.desc(), VisitPlan.id.desc()).limit(DAY_CAP)).all()
    report_rows = db.session.scalars(
        reports.where(VisitReport.customer_id == customer.id,
                      VisitReport.visited_at >= bounds[2], VisitReport.visited_at < bounds[3])
        .order_by(VisitReport.visited_at.desc(), VisitReport.id.desc()).limit(DAY_CAP)).all()
    return render("sales/visit/customer.html", "grid", customer=customer, year=year, grid=grid,
                  person=person, plans=plan_rows, reports=report_rows, today=local_today(),
                  state=visit_exports.plan_state, **rights())


@bp.get("/visits/customers/<int:customer_id>/export.xlsx")
@login_required
def visit_customer_export(customer_id: int):
    """The customer's month grid as on its page (phone masked); audited."""
    customer, year, grid, person, *_rest = _customer_grid(customer_id, Action.EXPORT)
    rows = visit_exports.grid_rows([customer], {customer.id: grid}, {customer.id: person})
    title = _("计划拜访次数与实际执行情况")
    return send_visit_table(f"{title} {year}", visit_exports.grid_headers(), rows,
                            f"visit-grid-{customer.number}-{year}.xlsx")


def _overview(action: Action):
    """Every customer with visits in the year (search and owner filters), with their grids."""
    form = GridForm(request.args)
    year = _year(form)
    plans, reports = scoped_list(VisitPlan, action), scoped_list(VisitReport, action)
    customers, truncated = visit_grid.visited_customers(plans, reports, year, form.q.data or "",
                                                        owner_filter(form))
    grids = visit_grid.month_grids(plans, reports, year, [c.id for c in customers])
    return form, year, customers, truncated, grids, visit_grid.visitees(customers)


@bp.get("/visits/grid", endpoint="visit_grid")
@login_required
def visit_grid_view():
    """计划拜访次数与实际执行情况 for every customer visited or planned in a year (in scope)."""
    form, year, customers, truncated, grids, people = _overview(Action.VIEW)
    return render("sales/visit/grid.html", "grid", form=form, year=year, customers=customers,
                  truncated=truncated, grids=grids, people=people, owners=owner_options(),
                  cap=visit_grid.GRID_CAP, **rights())


@bp.get("/visits/grid/export.xlsx")
@login_required
def visit_grid_export():
    """The yearly overview as on its page (phones masked); audited."""
    _form, year, customers, _cut, grids, people = _overview(Action.EXPORT)
    rows = visit_exports.grid_rows(customers, grids, people)
    title = _("计划拜访次数与实际执行情况")
    return send_visit_table(f"{title} {year}", visit_exports.grid_headers(), rows,
                            f"visit-grid-{year}.xlsx")
