"""年度产品销售台账 (表5-12): list, export, and rows added under a contract, their descriptive
fields edited, and rows corrected by reversal (红冲): never deleted, amounts never edited."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import (
    deferred_list_scope,
    form_status,
    in_scope,
    scoped_list,
    send_table,
    show_refusal,
)
from app.blueprints._once import once
from app.blueprints.sales import bp
from app.blueprints.sales.ledger.forms import EntryDetailsForm, EntryForm, LedgerFilterForm
from app.blueprints.sales.ledger.reversal_views import money, reverse_step
from app.extensions import db
from app.htmx import redirect, render
from app.models import Contract, EntryKind, Role, SalesEntry
from app.navigation import sales_section
from app.parsing import arg_id
from app.policy import Action
from app.services.core.errors import EditConflict
from app.services.sales.ledger import operations as ledger_service
from app.services.sales.ledger.lists import (
    LedgerFilters,
    contract_choice,
    export_table,
    listing,
    load_row,
    owner_options,
)
from app.services.sales.ledger.payments import BeforeSigning, Refused
from app.timeutil import local_today

LIST = "sales/ledger/list.html"
FORM = "sales/ledger/form.html"
DETAILS = "sales/ledger/details.html"

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


def _scoped_list(action: Action):
    """The filter form and the policy-scoped query of ledger rows."""
    scoped = scoped_list(SalesEntry, action)
    return LedgerFilterForm(request.args), scoped


@bp.get("/ledger/")
@login_required
def ledger_list():
    """The ledger rows in the user's scope, filtered, newest first, with paid and owed."""
    scoped = deferred_list_scope(SalesEntry)
    form, user = LedgerFilterForm(request.args), current_user._get_current_object()
    return render(LIST, "results", form=form, listing=listing(scoped, user, _filters(form)),
                  owners=owner_options(user) if user.role != Role.STAFF else [],
                  kinds=EntryKind, can_create=policy.can(user, Action.CREATE, SalesEntry))


@bp.get("/ledger/export.xlsx")
@login_required
def ledger_export():
    """Every row of the list as filtered on the page, contact phones masked; audited."""
    form, scoped = _scoped_list(Action.EXPORT)
    headers, rows = export_table(scoped, _filters(form))
    return send_table(_("年度产品销售台账"), headers, rows, "sales-ledger.xlsx",
                      object_type="SalesEntry", totals=(_("已付货款"), _("欠款")), form=form)


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


def _entry_form() -> EntryForm:
    """The row form, with only its chosen contract (?contract= when first shown) loaded for the
    picker's label."""
    form = EntryForm()
    if request.method == "GET":
        form.contract_id.data = arg_id("contract")
    form.contract_id.choices = contract_choice(in_scope(Contract), form.contract_id.data)
    return form


@bp.route("/ledger/new", methods=["GET", "POST"])
@login_required
@once
def ledger_new():
    """Adds a row under a contract in force the user may edit; amount = 数量 × 单价; a date
    before the contract's signing is answered with a warning until the user confirms it."""
    policy.require(Action.CREATE, SalesEntry)
    form = _entry_form()
    if request.method == "GET":
        form.entry_date.data = local_today()
    early = None
    if form.validate_on_submit() and (contract := _chosen_contract(form)):
        try:
            entry = ledger_service.create_entry(contract, _entry_data(form), current_user,
                                                confirmed_early=form.confirm_early.data)
        except BeforeSigning as warning:
            early = warning.message
        except Refused as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("已登记：%(product)s，金额 ¥%(amount)s。", product=entry.product,
                    amount=f"{entry.amount:,.2f}"), "success")
            return redirect(url_for("sales.ledger_list", contract=contract.id))
    return render(FORM, "form", status=form_status(), form=form, early=early)


@bp.route("/ledger/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def ledger_edit(entry_id: int):
    """Edits a row's descriptive fields (联系方式, 规格型号, 发票, 备注); its amounts are
    corrected by reversal. A stale form (someone saved since) keeps the input and says so."""
    entry = load_row(policy.load(SalesEntry, entry_id, Action.EDIT))
    form = EntryDetailsForm(obj=entry)
    if request.method == "GET":
        form.stamp.data = ledger_service.stamp(entry)
    conflict = False
    if form.validate_on_submit():
        details = ledger_service.EntryDetails(form.contact_name.data, form.spec.data,
                                              form.invoice_no.data, form.remarks.data)
        try:
            ledger_service.update_details(entry, details, form.stamp.data, current_user)
        except EditConflict:
            db.session.rollback()
            entry = load_row(policy.load(SalesEntry, entry_id, Action.EDIT))
            conflict, form.stamp.data = True, ledger_service.stamp(entry)
        else:
            db.session.commit()
            flash(_("台账记录已保存。"), "success")
            return redirect(url_for("sales.ledger_list", contract=entry.contract_id))
    return render(DETAILS, "form", status=form_status(), form=form, entry=entry,
                  conflict=conflict)


@bp.route("/ledger/<int:entry_id>/reverse", methods=["GET", "POST"])
@login_required
@once
def ledger_reverse(entry_id: int):
    """红冲 a ledger row: GET shows it and asks the reason; POST reverses it (above the
    threshold: files the request for the manager's approval); refuses a blank reason, a
    reversal, and a row already reversed or waiting for approval (422)."""
    entry = load_row(policy.load(SalesEntry, entry_id, Action.EDIT))
    facts = [(_("日期"), entry.entry_date.isoformat()), (_("客户名称"), entry.customer.name),
             (_("合同编号"), entry.contract.number if entry.contract else "—"),
             (_("产品名称"), " ".join(filter(None, (entry.product, entry.spec)))),
             (_("类别"), str(entry.kind.label)),
             (_("数量"), f"{entry.quantity.normalize():f}"),
             (_("单价"), money(entry.unit_price)), (_("金额"), money(entry.amount))]
    return reverse_step(entry, facts, url_for("sales.ledger_list", contract=entry.contract_id),
                        _("红冲台账记录"))
