"""Registering (首问负责制: any department's staff) and editing a service record: one form whose
parts rows are added and removed by posting it back. After the customer's confirmation a save
makes a new version and asks for the reason."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.blueprints._kit import form_status, show_refusal
from app.blueprints._once import once
from app.blueprints.service import bp
from app.blueprints.service.records.forms import RecordForm
from app.blueprints.service.records.rows import form_values, posted
from app.extensions import db
from app.htmx import redirect, render
from app.models import Customer
from app.models.service.records import ServiceRecord
from app.parsing import arg_id, to_id
from app.policy import Action
from app.services.core.errors import EditConflict
from app.services.core.pii import mask_phone
from app.services.customers.picker import typed_number
from app.services.service.records import operations as records
from app.services.service.records.pages import handler_choices, record_page
from app.services.service.records.rules import RecordRefused

FORM = "service/record/form.html"


def _customer(form: RecordForm) -> Customer | None:
    """The chosen customer (the picker's id, or customer_number typed or posted by a script)
    if the user may see its card; None otherwise."""
    customer_id = to_id(form.customer_id.data)
    if customer_id is None and form.customer_number.data:
        customer_id = db.session.scalar(select(Customer.id).where(
            Customer.number == (typed_number(form.customer_number.data) or "").upper()))
    customer = db.session.get(Customer, customer_id) if customer_id else None
    if customer is None or not policy.can(current_user, Action.VIEW_CARD, customer):
        return None
    return customer


def _page(form: RecordForm, status: int = 200, **context):
    return render(FORM, "record_form", status=status, form=form,
                  parts_total=form.parts_total(), **context)


@bp.route("/records/new", methods=["GET", "POST"])
@login_required
@once
def record_new():
    """Registers a record for any customer whose card the user sees, routed to 客服部; refuses
    (422) what a rule refuses, e.g. 售后维护 without its kind."""
    policy.require(Action.CREATE, ServiceRecord)
    command = request.form.get("op", "save")
    form = RecordForm(formdata=posted(command), handlers=handler_choices(),
                      data={"customer_id": str(arg_id("customer_id") or ""), "parts": []})
    chosen = _customer(form)
    if request.method == "POST" and command != "save":
        return _page(form, customer=chosen, record=None)
    if form.validate_on_submit():
        try:
            if chosen is None:
                raise RecordRefused(_("请选择客户。"), "customer_id")
            record = records.create_record(form.record_data(chosen.id), current_user)
        except RecordRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("服务记录 %(number)s 已登记。", number=record.number), "success")
            return redirect(url_for("service.record_detail", record_id=record.id))
    return _page(form, form_status(), customer=chosen, record=None)


def _save(record: ServiceRecord, form: RecordForm):
    """The response once saved; None (the form's errors set, or the conflict shown) if not."""
    data = form.record_data(record.customer_id)
    try:
        changes = records.update_record(record, data, to_id(form.version.data) or -1,
                                        current_user, form.reason.data)
    except EditConflict:
        db.session.rollback()
        current = policy.load(ServiceRecord, record.id, Action.EDIT)
        form.version.data = current.version
        form.form_errors.append(_(
            "在您编辑期间，此记录已被他人修改（当前为第 %(v)s 版）。您的修改尚未保存，"
            "仍保留在下方表单中；核对后再次提交将以您的内容为准。", v=current.version))
        return None
    except RecordRefused as refusal:
        db.session.rollback()
        show_refusal(form, refusal)
        return None
    db.session.commit()
    flash(_("服务记录已保存。") if changes else _("没有修改。"), "success")
    return redirect(url_for("service.record_detail", record_id=record.id))


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def record_edit(record_id: int):
    """Edits the record's content (客服 people on it); a stale form is refused (422) with what
    was typed kept, and after the customer's confirmation a reason is required."""
    record = policy.load(ServiceRecord, record_id, Action.EDIT)
    page = record_page(record, current_user, False)
    command = request.form.get("op", "save")
    form = RecordForm(formdata=posted(command), handlers=handler_choices(),
                      data=form_values(record, page.contract_number, page.rework_number))
    if request.method == "GET":
        form.version.data = record.version
    elif command == "save" and form.validate_on_submit():
        saved = _save(record, form)
        if saved is not None:
            return saved
        record = policy.load(ServiceRecord, record_id, Action.EDIT)
        page = record_page(record, current_user, False)
    return _page(form, form_status(), customer=page.record.customer, record=record,
                 phone=mask_phone(record.contact_phone))
