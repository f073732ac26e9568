"""年度产品销售台账 (表5-12): list, export, and rows added, edited and deleted under a contract."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status, in_scope, scoped_list, send_table, show_refusal
from app.blueprints.sales import bp
from app.blueprints.sales.ledger.forms import EntryForm, LedgerFilterForm
from app.extensions import db
from app.forms import EmptyForm
from app.htmx import redirect, render
from app.models import Contract, EntryKind, Role, SalesEntry
from app.navigation import sales_section
from app.parsing import arg_id
from app.policy import Action
from app.services.core.errors import EditConflict
from app.services.sales.ledger import operations as ledger_service
from app.services.sales.ledger.lists import (
    LedgerFilters,
    contract_options,
    export_table,
    listing,
    load_row,
    owner_options,
)
from app.services.sales.ledger.payments import Refused
from app.timeutil import local_today

LIST = "sales/ledger/list.html"
FORM = "sales/ledger/form.html"
DELETE = "sales/ledger/delete.html"

bp.add_app_template_global(ledger_service.mask_phones_in, "mask_phones_in")
sales_section(40, _l("年度产品销售台账"), "sales.ledger_list", SalesEntry,
              _l("表5-12：销售、退回、折让逐笔登记；已付与欠款按回款自动计算"))


def _filters(form: LedgerFilterForm) -> LedgerFilters:
    """The list's filters; a filter with an invalid value is ignored, not fatal."""
    form.validate()
    valid = {name: not form[name].errors for name in form.data}
    value = {name: (form[name].data if valid[name] else None) for name in form.data}
    return LedgerFilters(
        date_from=value["date_from"], date_to=value["date_to"], q=form.q.data or "",
        customer=value["customer"], contract=value["contract"], kind=value["kind"] or "",
        owner=value["owner"] if current_user.role != Role.STAFF else None,
        direction=value["dir"] or "", after=form.after.data or None,
        before=form.before.data or None)


def _scoped_list(action: Action = Action.VIEW):
    """The filter form and the policy-scoped query of ledger rows."""
    scoped = scoped_list(SalesEntry, action)
    return LedgerFilterForm(request.args), scoped


@bp.get("/ledger/")
@login_required
def ledger_list():
    """The ledger rows in the user's scope, filtered, newest first, with paid and owed."""
    form, scoped = _scoped_list()
    filters = _filters(form)
    return render(LIST, "results", form=form, listing=listing(scoped, filters),
                  owners=owner_options(scoped) if current_user.role != Role.STAFF else [],
                  kinds=EntryKind, can_create=policy.can(current_user, Action.CREATE, SalesEntry))


@bp.get("/ledger/export.xlsx")
@login_required
def ledger_export():
    """Every row of the list as filtered on the page, contact phones masked; audited."""
    form, scoped = _scoped_list(Action.EXPORT)
    headers, rows = export_table(scoped, _filters(form))
    return send_table(_("年度产品销售台账"), headers, rows, "sales-ledger.xlsx",
                      object_type="SalesEntry")


def _chosen_contract(form: EntryForm) -> Contract | None:
    """The form's contract if the user may record sales under it; else a field error."""
    contract = db.session.get(Contract, form.contract_id.data) if form.contract_id.data else None
    if contract is None or not policy.can(current_user, Action.VIEW, contract):
        form.contract_id.errors.append(_("请选择一份您有权查看的合同。"))
        return None
    if not policy.can(current_user, Action.EDIT, contract):
        form.contract_id.errors.append(_("您不能在该合同下登记销售。"))
        return None
    return contract


def _entry_data(form: EntryForm) -> ledger_service.EntryData:
    return ledger_service.EntryData(
        entry_date=form.entry_date.data, kind=EntryKind(form.kind.data),
        contact_name=form.contact_name.data, product=form.product.data, spec=form.spec.data,
        quantity=form.quantity.data, unit_price=form.unit_price.data, cost=form.cost.data,
        invoice_no=form.invoice_no.data, remarks=form.remarks.data)


def _entry_form(entry: SalesEntry | None = None) -> EntryForm:
    current = entry.contract_id if entry else arg_id("contract")
    return EntryForm(obj=entry, contracts=contract_options(in_scope(Contract), current))


@bp.route("/ledger/new", methods=["GET", "POST"])
@login_required
def ledger_new():
    """Adds a row under a contract in force the user may edit; amount = 数量 × 单价."""
    policy.require(Action.CREATE, SalesEntry)
    form = _entry_form()
    if request.method == "GET":
        form.contract_id.data = arg_id("contract")
        form.entry_date.data = local_today()
    if form.validate_on_submit() and (contract := _chosen_contract(form)):
        try:
            entry = ledger_service.create_entry(contract, _entry_data(form), current_user)
        except Refused as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("已登记：%(product)s，金额 ¥%(amount)s。", product=entry.product,
                    amount=f"{entry.amount:,.2f}"), "success")
            return redirect(url_for("sales.ledger_list", contract=contract.id))
    return render(FORM, "form", status=form_status(), form=form, entry=None)


@bp.route("/ledger/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def ledger_edit(entry_id: int):
    """Edits a row; a stale form (someone saved since) keeps the input and says so."""
    entry = policy.load(SalesEntry, entry_id, Action.EDIT)
    form = _entry_form(entry)
    if request.method == "GET":
        form.stamp.data = ledger_service.stamp(entry)
    conflict = False
    if form.validate_on_submit() and (contract := _chosen_contract(form)):
        try:
            ledger_service.update_entry(entry, contract, _entry_data(form), form.stamp.data,
                                        current_user)
        except EditConflict:
            db.session.rollback()
            entry = policy.load(SalesEntry, entry_id, Action.EDIT)
            conflict, form.stamp.data = True, ledger_service.stamp(entry)
        except Refused as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("台账记录已保存。"), "success")
            return redirect(url_for("sales.ledger_list", contract=entry.contract_id))
    return render(FORM, "form", status=form_status(), form=form, entry=entry, conflict=conflict)


@bp.route("/ledger/<int:entry_id>/delete", methods=["GET", "POST"])
@login_required
def ledger_delete(entry_id: int):
    """Asks for confirmation (GET), then deletes the row (POST); audited."""
    entry = policy.load(SalesEntry, entry_id, Action.EDIT)
    form = EmptyForm()
    if form.validate_on_submit():
        contract_id = entry.contract_id
        ledger_service.delete_entry(entry, current_user)
        db.session.commit()
        flash(_("台账记录已删除。"), "success")
        return redirect(url_for("sales.ledger_list", contract=contract_id))
    return render(DELETE, status=form_status(), entry=load_row(entry), form=form)
