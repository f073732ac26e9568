"""外呼名单 (/customers/phone-export): the customer list with full phone numbers, asked for
with a reason (a one-time form: a double click files one request); its requester takes the file
from the request's page, at once up to the threshold, above it once the department manager has
approved. The rules are in app/policy/exports.py and app/services/customers/phone_exports.py."""

from urllib.parse import parse_qsl

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from app import policy
from app.blueprints._kit import XLSX, attachment, export_names, form_status, show_refusal
from app.blueprints._once import once
from app.blueprints.customers import bp
from app.blueprints.customers.forms import CustomerFilterForm
from app.blueprints.customers.views import list_filters
from app.extensions import db
from app.forms import strip
from app.htmx import redirect, render
from app.models import PhoneExport, RequestStatus
from app.policy import Action
from app.services.customers import phone_exports
from app.services.customers.phone_exports import PhoneExportRefused

DIALOG = "customers/phone_export/dialog.html"
DETAIL = "customers/phone_export/detail.html"


class PhoneExportForm(FlaskForm):
    reason = TextAreaField(_l("导出原因"), filters=[strip], validators=[
        InputRequired(_l("请说明导出完整电话的原因（至少 2 个字）。")),
        Length(min=2, max=200, message=_l("导出原因需 %(min)d–%(max)d 个字。"))])


def _filters(args: MultiDict):
    """The customer list's filters in `args` (the user's own list, never the directory)."""
    return list_filters(CustomerFilterForm(args, meta={"csrf": False}))


@bp.route("/phone-export", methods=["GET", "POST"])
@login_required
@once
def phone_export():
    """The reason dialog for the filtered list (GET); POST files the request and leads to its
    page, where the file is taken at once, or after the manager's approval above the
    threshold."""
    policy.require(Action.CREATE, PhoneExport)
    form, filters = PhoneExportForm(), _filters(request.args)
    if form.validate_on_submit():
        try:
            export = phone_exports.request_export(current_user, filters,
                                                  request.query_string.decode(), form.reason.data)
        except PhoneExportRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("外呼名单已生成，请在本页下载。") if export.status == RequestStatus.APPROVED
                  else _("导出超过 %(n)d 行，已提交部门经理审批；批准后可在本页下载。",
                         n=phone_exports.APPROVAL_ABOVE), "info")
            return redirect(url_for("customers.phone_export_detail", export_id=export.id))
    rows = phone_exports.count(current_user, filters)
    return render(DIALOG, status=form_status(), form=form, rows=rows,
                  threshold=phone_exports.APPROVAL_ABOVE,
                  needs_approval=phone_exports.needs_approval(rows))


@bp.get("/phone-exports/<int:export_id>")
@login_required
def phone_export_detail(export_id: int):
    """A request: its reason, rows and state; its requester takes the file once approved."""
    export = policy.load(PhoneExport, export_id, Action.VIEW)
    return render(DETAIL, export=export, requester=export.requested_by.full_name,
                  can_download=policy.can(current_user, Action.EXPORT, export))


@bp.get("/phone-exports/<int:export_id>/file.xlsx")
@login_required
def phone_export_file(export_id: int):
    """The approved call list, built now from the filters asked for (at most the approved
    number of rows); audited with the rows written."""
    export = policy.load(PhoneExport, export_id, Action.EXPORT)
    args = MultiDict(parse_qsl(export.query, keep_blank_values=True))
    workbook = phone_exports.workbook(export, current_user, _filters(args))
    db.session.commit()
    names = export_names(f"{_('外呼名单')}.xlsx", "call-list.xlsx", args=args)
    return attachment(workbook.data, XLSX, *names)
