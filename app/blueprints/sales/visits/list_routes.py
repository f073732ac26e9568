"""客户拜访 (/sales/visits/): the plans and reports list, the week's plans (表5-28), the daily
visit log (表5-30), each with its Excel export at its URL + export.xlsx (same query string,
same scope, audited). Forms are in visit_edit.py, the month grids in visit_grid_routes.py."""

from datetime import timedelta

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import deferred_list_scope, scoped_list
from app.blueprints.sales import bp
from app.blueprints.sales.visits.forms import DayForm, VisitFilterForm, WeekForm
from app.blueprints.sales.visits.views import (
    owner_filter,
    owner_options,
    rights,
    send_visit_table,
)
from app.htmx import render
from app.models import CustomerType, Interest, VisitPlan, VisitReport, VisitStatus
from app.navigation import sales_section
from app.policy import Action
from app.services.sales.visits import exports as visit_exports
from app.services.sales.visits import lists as visit_lists
from app.timeutil import local_today

sales_section(10, _l("客户拜访"), "sales.visit_list", VisitPlan,
              _l("拜访计划、拜访报告、周计划表、拜访日报与逾期提醒"))


def _filters(form: VisitFilterForm) -> visit_lists.VisitFilters:
    form.validate()  # invalid filter values are ignored, not fatal
    err = form.errors
    return visit_lists.VisitFilters(
        kind=form.kind.data if "kind" not in err else "plans",
        start=None if "start" in err or "end" in err else form.start.data,
        end=None if "end" in err else form.end.data, q=form.q.data or "",
        status=form.status.data if "status" not in err else "", owner=owner_filter(form),
        after=form.after.data or None, before=form.before.data or None)


def _model(f: visit_lists.VisitFilters):
    return VisitReport if f.kind == "reports" else VisitPlan


@bp.get("/visits/")
@login_required
def visit_list():
    """Visit plans or reports in the user's data scope, filtered; sales staff, managers, GM."""
    form = VisitFilterForm(request.args)
    f = _filters(form)
    model = _model(f)
    listing = visit_lists.listing(deferred_list_scope(model), current_user._get_current_object(),
                                  f, local_today())
    return render("sales/visit/list.html", "results", form=form, filters=f, listing=listing,
                  owners=owner_options(), today=local_today(), interests=Interest,
                  customer_types=CustomerType, statuses=VisitStatus, **rights())


@bp.get("/visits/export.xlsx")
@login_required
def visit_export():
    """The list as filtered on the page, all pages; same scope; audited."""
    f = _filters(VisitFilterForm(request.args))
    model = _model(f)
    headers, rows = visit_exports.list_table(scoped_list(model, Action.EXPORT), f, local_today())
    title = _("拜访报告") if model is VisitReport else _("拜访计划")
    return send_visit_table(title, headers, rows, f"visit-{f.kind}.xlsx")


def _week():
    form = WeekForm(request.args)
    form.validate()
    day = (form.week.data if not form.week.errors else None) or local_today()
    return visit_lists.week_plans(scoped_list(VisitPlan), day, owner_filter(form))


@bp.get("/visits/week")
@login_required
def visit_week():
    """表5-28 客户拜访周/日计划表: the week's plans day by day, with the previous/next week."""
    week = _week()
    return render("sales/visit/week.html", "week", week=week, owners=owner_options(),
                  today=local_today(), one_week=timedelta(days=7), cap=visit_lists.DAY_CAP,
                  **rights())


@bp.get("/visits/week/export.xlsx")
@login_required
def visit_week_export():
    """The week's plans as on the page; audited."""
    policy.require(Action.EXPORT, VisitPlan)
    week = _week()
    headers, rows = visit_exports.week_table(week, local_today())
    title = _("客户拜访周计划表")
    return send_visit_table(title, headers, rows, f"visit-week-{week.monday.isoformat()}.xlsx")


def _day():
    form = DayForm(request.args)
    form.validate()
    day = (form.date.data if not form.date.errors else None) or local_today()
    return visit_lists.daily_log(scoped_list(VisitReport), scoped_list(VisitPlan), day,
                                 owner_filter(form))


@bp.get("/visits/daily")
@login_required
def visit_daily():
    """表5-30 拜访日报: one day's visits per salesperson, and that day's plans not yet made."""
    log = _day()
    return render("sales/visit/daily.html", "log", log=log, owners=owner_options(),
                  one_day=timedelta(days=1), today=local_today(),
                  result=visit_exports.visit_result, cap=visit_lists.DAY_CAP, **rights())


@bp.get("/visits/daily/export.xlsx")
@login_required
def visit_daily_export():
    """The day's visit log as on the page; audited."""
    policy.require(Action.EXPORT, VisitReport)
    log = _day()
    headers, rows = visit_exports.daily_table(log)
    return send_visit_table(_("拜访日报"), headers, rows, f"visit-daily-{log.day.isoformat()}.xlsx")
