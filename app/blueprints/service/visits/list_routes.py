"""回访 list (/service/visits/) and its Excel export. Thin views: the rules live in
app/policy/service.py and app/services/service/visits."""

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.blueprints._kit import scoped_list, send_table
from app.blueprints.service import bp
from app.blueprints.service.visits.forms import VisitFilterForm, filters_of
from app.htmx import render
from app.models import Role
from app.models.service.visits import ReturnVisit
from app.navigation import service_section
from app.policy import Action
from app.policy.service import manages_service
from app.services.service.visits.lists import export_table, listing
from app.services.service.visits.operations import service_people
from app.timeutil import local_today

service_section(40, _l("回访"), "service.visit_list", ReturnVisit,
                _l("交付后每月、一年后每季度回访，服务完成后回访，投诉关闭前回访，十二月需求调查"))


@bp.get("/visits/")
@login_required
def visit_list():
    """Lists the visits in the user's scope: due, overdue, done, rescheduled; by assignee and
    due date; sorted and paged. 403 for who sees no visits at all."""
    scoped = scoped_list(ReturnVisit)
    form = VisitFilterForm(request.args)
    today = local_today()
    everyone = current_user.role == Role.GM or manages_service(current_user)
    people = service_people() if everyone else []
    return render("service/visit/list.html", "results", form=form,
                  listing=listing(scoped, filters_of(form), today), today=today,
                  people=people)


@bp.get("/visits/export.xlsx")
@login_required
def visit_export():
    """The list as filtered on the page, every page, in the same scope; audited."""
    scoped = scoped_list(ReturnVisit, Action.EXPORT)
    form = VisitFilterForm(request.args)
    headers, rows = export_table(scoped, filters_of(form), local_today())
    return send_table(_("回访"), headers, rows, "return-visits.xlsx",
                      object_type="ReturnVisit", form=form)
