"""客户服务记录 (/service/records/): the list, its Excel export and a record's page. Thin views:
the rules live in app/policy/service.py and app/services/service/records."""

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import scoped_list, send_table
from app.blueprints.service import bp
from app.blueprints.service.records.filters import RecordFilterForm, filters_of
from app.blueprints.service.records.forms import ConfirmationForm, HandlerForm, StatusForm
from app.htmx import render
from app.models.service.records import (
    ConfirmationMethod,
    Priority,
    ServiceRecord,
    ServiceStatus,
    ServiceType,
)
from app.navigation import service_section
from app.policy import Action
from app.policy.service import in_service
from app.services.core.pii import mask_phone
from app.services.service.follow_ups.section import section_context
from app.services.service.records.lists import export_table, record_listing, sla_labels
from app.services.service.records.pages import handler_choices, record_page
from app.services.service.records.review import review_state

LIST = "service/record/list.html"
DETAIL = "service/record/detail.html"

service_section(10, _l("客户服务记录"), "service.record_list", ServiceRecord,
                _l("客户服务记录表（表2）：登记、指派、转交、处理进度、客户确认与配件"))


@bp.get("/records/")
@login_required
def record_list():
    """Lists the records in the user's scope with filters, search, sort and pages."""
    scoped = scoped_list(ServiceRecord)
    form = RecordFilterForm(request.args)
    listing = record_listing(scoped, filters_of(form))
    return render(LIST, "results", form=form, listing=listing, statuses=ServiceStatus,
                  types=ServiceType, priorities=Priority, sla=sla_labels(),
                  handlers=handler_choices() if in_service(current_user) else [],
                  can_create=policy.can(current_user, Action.CREATE, ServiceRecord))


@bp.get("/records/export.xlsx")
@login_required
def record_export():
    """The list as filtered on the page, every page, scoped and masked like it; audited."""
    scoped = scoped_list(ServiceRecord, Action.EXPORT)
    form = RecordFilterForm(request.args)
    headers, rows = export_table(scoped, filters_of(form))
    return send_table(_("客户服务记录"), headers, rows, "service-records.xlsx",
                      object_type="ServiceRecord", form=form)


@bp.get("/records/<int:record_id>")
@login_required
def record_detail(record_id: int):
    """A record with its deadlines, history, parts, confirmation and the actions the user may
    take; 404 outside the user's scope or above their clearance."""
    record = policy.load(ServiceRecord, record_id, Action.VIEW)
    may_act = policy.can(current_user, Action.EDIT, record)
    page = record_page(record, current_user, may_act)
    return render(DETAIL, "content", page=page, record=record, statuses=ServiceStatus,
                  phone=mask_phone(record.contact_phone), may_act=may_act,
                  may_assign=policy.can(current_user, Action.MANAGE, record),
                  status_form=StatusForm(), handler_form=HandlerForm(),
                  confirmation_form=ConfirmationForm(), methods=ConfirmationMethod,
                  review=review_state(record), **section_context(record, current_user))
