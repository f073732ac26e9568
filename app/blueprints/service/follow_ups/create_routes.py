"""Adding a follow-up from the record's page: back to the record (303), or, for htmx, the
record's follow-ups section again; a refusal keeps what was typed and says why (422)."""

from flask import flash, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import show_refusal
from app.blueprints._once import once
from app.blueprints.service import bp
from app.extensions import db
from app.htmx import redirect, trigger, wants_fragment
from app.models.service.records import ServiceRecord
from app.policy import Action
from app.services.service.follow_ups import operations
from app.services.service.follow_ups.forms import FollowUpForm
from app.services.service.follow_ups.section import may_add, section_context

SECTION = "service/follow_up/_section.html"


def _section(record: ServiceRecord, form: FollowUpForm | None, status: int):
    """The follow-ups section alone (htmx), telling the page a follow-up changed the record."""
    response = make_response(render_template(
        SECTION, **section_context(record, current_user, form)), status)
    response.vary.add("HX-Request")
    return trigger(response, "follow-up-added") if status == 200 else response


def _refused_page(record: ServiceRecord, form: FollowUpForm):
    """A refused post without htmx: the section on a page of its own, as typed (422)."""
    response = make_response(render_template(
        "service/follow_up/form.html", record=record,
        record_url=url_for("service.record_detail", record_id=record.id),
        **section_context(record, current_user, form)), 422)
    response.vary.add("HX-Request")
    return response


@bp.post("/records/<int:record_id>/follow-ups")
@login_required
@once
def follow_up_create(record_id: int):
    """Adds a follow-up; refused (422, nothing saved) on a closed or abandoned record, a future
    沟通时间 or empty 沟通要点; 403 for who may not follow the record up, 404 beyond its scope."""
    record = policy.load(ServiceRecord, record_id, Action.VIEW)
    if not may_add(current_user, record):
        policy.deny(403, record, Action.CREATE)
    form = FollowUpForm()
    if form.validate_on_submit():
        try:
            operations.add_follow_up(record, form.data_object(), current_user)
        except operations.Refused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            if wants_fragment():
                return _section(record, None, 200)
            flash(_("跟进记录已保存。"), "success")
            return redirect(url_for("service.record_detail", record_id=record.id))
    return _section(record, form, 422) if wants_fragment() else _refused_page(record, form)
