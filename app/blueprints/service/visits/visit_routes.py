"""A return visit's page, and recording, rescheduling and assigning it. Recording and
rescheduling may make a visit (the next one, the moved one): one-time tokens guard both."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status, show_refusal
from app.blueprints._once import once
from app.blueprints.service import bp
from app.blueprints.service.visits.forms import AssignForm, RecordForm, RescheduleForm
from app.extensions import db
from app.htmx import redirect, render
from app.models.service.visits import ReturnVisit
from app.policy import Action
from app.services.service.visits import operations as visits
from app.services.service.visits.subjects import subject_of
from app.timeutil import local_now, local_today

DETAIL = "service/visit/detail.html"


def _detail_url(visit_id: int) -> str:
    return url_for("service.visit_detail", visit_id=visit_id)


@bp.get("/visits/<int:visit_id>")
@login_required
def visit_detail(visit_id: int):
    """One visit with its subject and the visits before and after it; 404 outside the user's
    scope or above their clearance."""
    visit = visits.load_page(policy.load(ReturnVisit, visit_id, Action.VIEW))
    may_assign = policy.can(current_user, Action.MANAGE, visit)
    return render(DETAIL, visit=visit, subject=subject_of(visit, current_user),
                  successors=visits.successors(visit), today=local_today(),
                  assign_form=AssignForm() if may_assign else None,
                  people=visits.service_people() if may_assign else [])


def _form_page(template: str, visit: ReturnVisit, form, status: int | None = None):
    visits.load_page(visit)
    return render(template, "form", status=status or form_status(), visit=visit, form=form,
                  today=local_today())


@bp.route("/visits/<int:visit_id>/record", methods=["GET", "POST"])
@login_required
@once
def visit_record(visit_id: int):
    """Records the visit (回访记录) as done, with a next visit when a date is given; its
    assignee and the 客服 manager. Refuses a visit no longer due."""
    visit = policy.load(ReturnVisit, visit_id, Action.EDIT)
    form = RecordForm()
    if request.method == "GET":
        form.visited_at.data = local_now().replace(tzinfo=None, second=0, microsecond=0)
    elif form.validate_on_submit():
        try:
            following = visits.record_visit(visit, form.data_object(), current_user)
        except visits.Refused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("回访记录已保存，已安排下次回访。") if following else _("回访记录已保存。"),
                  "success")
            return redirect(_detail_url(visit_id))
    return _form_page("service/visit/record.html", visit, form)


@bp.route("/visits/<int:visit_id>/reschedule", methods=["GET", "POST"])
@login_required
@once
def visit_reschedule(visit_id: int):
    """Moves the visit to another date with a reason: the visit is 已改期 and a new one takes
    its place. Its assignee and the 客服 manager; refuses a visit no longer due."""
    visit = policy.load(ReturnVisit, visit_id, Action.EDIT)
    form = RescheduleForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            new = visits.reschedule(visit, form.due_date.data, form.reason.data, current_user)
        except visits.Refused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("回访已改期。"), "success")
            return redirect(_detail_url(new.id))
    return _form_page("service/visit/reschedule.html", visit, form)


@bp.post("/visits/<int:visit_id>/assign")
@login_required
def visit_assign(visit_id: int):
    """Gives the visit to a member of 客服部; the 客服 manager of its department only."""
    visit = policy.load(ReturnVisit, visit_id, Action.MANAGE)
    form = AssignForm()
    try:
        if not form.validate_on_submit():
            raise visits.Refused(_("请选择回访人。"))
        visits.assign(visit, form.assignee.data, current_user)
    except visits.Refused as refusal:
        db.session.rollback()
        flash(refusal.message, "warning")
    else:
        db.session.commit()
        flash(_("回访人已分配。"), "success")
    return redirect(_detail_url(visit_id))
