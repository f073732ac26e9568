"""客户拜访 (/sales/visits/): the plans and reports list, the week's plans (表5-28), the daily
visit log (表5-30), each with its Excel export at its URL + export.xlsx (same query string,
same scope, audited). Forms are in visit_edit.py, the month grids in visit_grid_routes.py."""

from datetime import timedelta

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.blueprints.downloads import xlsx_attachment
from app.blueprints.sales import bp
from app.blueprints.sales.visit_forms import DayForm, VisitFilterForm, WeekForm
from app.extensions import db
from app.htmx import render
from app.models import Role, VisitPlan, VisitReport
from app.navigation import sales_section
from app.policy import Action
from app.services import audit, visit_exports, visit_lists
from app.services import customers as customer_service
from app.services.exports import write_xlsx
from app.timeutil import local_today

sales_section(10, _l("客户拜访"), "sales.visit_list", VisitPlan,
              _l("拜访计划、拜访报告、周计划表、拜访日报与逾期提醒"))


def owner_options() -> list[tuple[int, str]]:
    """The salespeople a manager (their department) or the GM may filter by; none for staff."""
    if current_user.role == Role.MANAGER:
        return [(u.id, u.full_name) for u in
                customer_service.sales_owners(current_user.department_id)]
    if current_user.role == Role.GM:
        return customer_service.owner_options()
    return []


def rights() -> dict:
    """Whether the user may plan visits and record reports (the create buttons)."""
    return {"can_plan": policy.can(current_user, Action.CREATE, VisitPlan),
            "can_report": policy.can(current_user, Action.CREATE, VisitReport)}


def owner_filter(form) -> int | None:
    """The owner filter, only for those who may choose one (staff see only their own)."""
    value = form.owner.data if not form.owner.errors else None
    return value if value and current_user.role != Role.STAFF else None


def scoped(model, action: Action = Action.VIEW):
    """The model's rows the user may see for `action`, after the area check."""
    policy.require(action, model)
    return policy.scope(select(model), current_user, model, action)


def export_response(title: str, headers, rows, ascii_name: str):
    """The workbook as a download; the export (with its query string) is audited."""
    data = write_xlsx(title, headers, rows)
    audit.record("export", object_type="Visit", object_label=title,
                 changes={"path": request.path, "query": request.query_string.decode()[:500]})
    db.session.commit()
    return xlsx_attachment(data, f"{title}.xlsx", ascii_name)


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
    listing = visit_lists.listing(scoped(model), f, local_today())
    return render("sales/visit/list.html", "results", form=form, filters=f, listing=listing,
                  owners=owner_options(), today=local_today(), **rights())


@bp.get("/visits/export.xlsx")
@login_required
def visit_export():
    """The list as filtered on the page, all pages; same scope; audited."""
    f = _filters(VisitFilterForm(request.args))
    model = _model(f)
    headers, rows = visit_exports.list_table(scoped(model, Action.EXPORT), f, local_today())
    title = _("拜访报告") if model is VisitReport else _("拜访计划")
    return export_response(title, headers, rows, f"visit-{f.kind}.xlsx")


def _week():
    form = WeekForm(request.args)
    form.validate()
    day = (form.week.data if not form.week.errors else None) or local_today()
    return visit_lists.week_plans(scoped(VisitPlan), day, owner_filter(form))


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
    return export_response(title, headers, rows, f"visit-week-{week.monday.isoformat()}.xlsx")


def _day():
    form = DayForm(request.args)
    form.validate()
    day = (form.date.data if not form.date.errors else None) or local_today()
    return visit_lists.daily_log(scoped(VisitReport), scoped(VisitPlan), day, owner_filter(form))


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
    return export_response(_("拜访日报"), headers, rows, f"visit-daily-{log.day.isoformat()}.xlsx")


from app.blueprints.sales import visit_edit, visit_grid_routes  # noqa: E402,F401
