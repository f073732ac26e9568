"""Registering and editing a draft contract: one form whose product lines and payment terms are
added and removed by posting it back (htmx swaps just the form; without JavaScript the page
reloads). Signed contracts are refused here: they change through 合同变更."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status
from app.blueprints._once import once
from app.blueprints._picker import picked_id
from app.blueprints.sales import bp
from app.blueprints.sales.contracts.forms import ContractForm
from app.blueprints.sales.contracts.rows import blank_values, form_values
from app.blueprints.sales.contracts.views import page, posted
from app.extensions import db
from app.htmx import redirect, render
from app.models import Contract, Customer
from app.parsing import arg_id, to_id
from app.policy import Action
from app.services.core.errors import EditConflict
from app.services.sales.contracts import operations as contracts
from app.services.sales.contracts.data import data_of

FORM = "sales/contract/form.html"


def customers_for(keep: Customer | None = None) -> list[Customer]:
    """The customer the form may keep: the one chosen, if the user may choose it (the picker
    searches the rest: customers.customer_pick)."""
    return [keep] if keep is not None else []


def chosen_customer() -> Customer | None:
    """The customer the request names (?customer_id=, or the posted choice: the picker's id or
    a number typed by hand), if the user may register contracts for it. A posted value that
    names none is left to the form's check; a link's is a 400."""
    posted_id = request.form.get("customer_id")
    customer_id = arg_id("customer_id") if posted_id is None else picked_id(posted_id, Customer)
    customer = db.session.get(Customer, customer_id) if customer_id else None
    return customer if customer and policy.can(current_user, Action.EDIT, customer) else None


def lift_level(form: ContractForm) -> None:
    """On a refresh after choosing a customer: the level is at least the customer's."""
    customer = form.customer
    if customer is not None and (form.confidentiality.data or 0) < customer.confidentiality:
        form.confidentiality.data = int(customer.confidentiality)


@bp.route("/contracts/new", methods=["GET", "POST"])
@login_required
@once
def contract_new():
    """Registers a draft contract for one of the user's customers; refuses (422) values a rule
    refuses, e.g. terms that do not add up to the total."""
    policy.require(Action.CREATE, Contract)
    command = request.form.get("op", "save")
    form = ContractForm(formdata=posted(command), customers=customers_for(chosen_customer()),
                        levels=contracts.level_choices(current_user),
                        data=blank_values(arg_id("customer_id")))
    if request.method == "POST" and command != "save":
        lift_level(form)
        return page(FORM, "contract_form", form, contract=None)
    if form.validate_on_submit():
        try:
            contract = contracts.create_contract(form.contract_data(), current_user)
        except contracts.Invalid as refusal:
            db.session.rollback()
            form.show(refusal.problems)
        else:
            db.session.commit()
            flash(_("合同 %(number)s 已登记为草稿，核对无误后请提交评审。", number=contract.number),
                  "success")
            return redirect(url_for("sales.contract_detail", contract_id=contract.id))
    return page(FORM, "contract_form", form, form_status(), contract=None)


def _refuse_frozen(contract: Contract):
    """A signed or submitted contract: the form is not offered (GET) and not saved (POST)."""
    message = contracts.frozen_message(contract)
    if request.method == "GET":
        flash(message, "warning")
        return redirect(url_for("sales.contract_detail", contract_id=contract.id))
    return render("errors/error.html", "content", status=409, code=409, title=_("不能修改"),
                  message=message)


def _save(contract: Contract, form: ContractForm):
    """(response, None) once saved or refused for the contract's state; (None, the contract as
    saved by someone else) for a stale form; (None, None) with the form's errors set."""
    try:
        contracts.update_contract(contract, form.contract_data(),
                                  to_id(request.form.get("version")) or -1, current_user)
    except EditConflict:
        current = policy.load(Contract, contract.id, Action.EDIT)
        form.version.data = current.version
        return None, current
    except contracts.Invalid as refusal:
        db.session.rollback()
        form.show(refusal.problems)
        return None, None
    except contracts.Frozen as refusal:
        return render("errors/error.html", "content", status=409, code=409,
                      title=_("不能修改"), message=refusal.message), None
    db.session.commit()
    flash(_("合同已保存。"), "success")
    return redirect(url_for("sales.contract_detail", contract_id=contract.id)), None


@bp.route("/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
@login_required
def contract_edit(contract_id: int):
    """Edits a draft; refuses (409) a contract under review, signed or closed, and keeps what
    the user typed when someone else saved first."""
    contract = policy.load(Contract, contract_id, Action.EDIT)
    if contracts.frozen_message(contract):
        return _refuse_frozen(contract)
    command = request.form.get("op", "save")
    form = ContractForm(formdata=posted(command),
                        customers=customers_for(chosen_customer() or contract.customer),
                        levels=contracts.level_choices(current_user),
                        data=form_values(data_of(contract)))
    if request.method == "GET":
        form.version.data = contract.version
    elif command != "save":
        lift_level(form)
        return page(FORM, "contract_form", form, contract=contract)
    conflict = None
    if form.validate_on_submit():
        saved, conflict = _save(contract, form)
        if saved is not None:
            return saved
        contract = conflict or contract
    return page(FORM, "contract_form", form, form_status(), contract=contract, conflict=conflict)
