"""回款: a contract's payments against its payment terms, and the form that records one."""

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import in_scope, send_export, show_refusal
from app.blueprints.sales import bp
from app.blueprints.sales.ledger.forms import PaymentForm, method_label
from app.extensions import db
from app.htmx import redirect, render
from app.models import Contract, Payment
from app.policy import Action
from app.services.sales.contracts.history import load_page
from app.services.sales.ledger import payments as payment_service
from app.services.sales.ledger import payments_export
from app.services.sales.ledger.payments import EFFECTIVE, Refused
from app.timeutil import local_today

PAGE = "sales/payment/list.html"


@bp.app_template_global("payment_method_label")
def payment_method_label(code: str | None) -> str:
    """The label of a stored payment method, for the templates."""
    return method_label(code)


def _may_record(contract: Contract) -> bool:
    return (contract.status in EFFECTIVE and policy.can(current_user, Action.EDIT, contract)
            and policy.can(current_user, Action.CREATE, Payment))


def _form(balance: payment_service.ContractBalance) -> PaymentForm:
    """The form, its terms labelled with what each still owes."""
    terms = [(line.term.id, _("%(kind)s（到期 %(due)s，未收 ¥%(left)s）", kind=line.term.kind.label,
                              due=line.term.due_date.isoformat(),
                              left=f"{line.outstanding:,.2f}"))
             for line in balance.terms]
    return PaymentForm(terms=terms)


def _page(contract: Contract, form: PaymentForm | None, balance, status: int = 200):
    load_page(contract)
    history = payment_service.history(in_scope(Payment), contract)
    return render(PAGE, "payments", status=status, contract=contract, balance=balance,
                  history=history, form=form)


@bp.get("/contracts/<int:contract_id>/payments")
@login_required
def payment_list(contract_id: int):
    """The contract's terms with paid/outstanding/overdue, its payments, and the form for
    those who may record one (sales staff and managers in scope; contract in force)."""
    contract = policy.load(Contract, contract_id, Action.VIEW)
    balance = payment_service.contract_balance(contract)
    form = _form(balance) if _may_record(contract) else None
    if form is not None:
        form.paid_on.data = local_today()
    return _page(contract, form, balance)


@bp.get("/contracts/<int:contract_id>/payments/export.xlsx")
@login_required
def payment_export(contract_id: int):
    """The payments page as a workbook (payment history, then the terms' balances) with the
    page's policy: the contract as the page loads it, its payments in the same scope; audited."""
    contract = policy.load(Contract, contract_id, Action.EXPORT)
    data = payments_export.workbook(in_scope(Payment, Action.EXPORT), contract, method_label)
    title = f"{_('回款记录')} {contract.number}"
    return send_export(data, f"{title}.xlsx", f"payments-{contract.number}.xlsx", label=title,
                       record=contract)


@bp.post("/contracts/<int:contract_id>/payments")
@login_required
def payment_create(contract_id: int):
    """Records a payment; refuses an amount not above zero or above the term's outstanding
    amount, a future date, and a contract not in force (422 with the form kept)."""
    contract = policy.load(Contract, contract_id, Action.EDIT)
    policy.require(Action.CREATE, Payment)
    form = _form(payment_service.contract_balance(contract))
    if form.validate_on_submit():
        try:
            payment = payment_service.record_payment(contract, payment_service.PaymentData(
                term_id=form.term.data, paid_on=form.paid_on.data, amount=form.amount.data,
                method=form.method.data, reference=form.reference.data, note=form.note.data),
                current_user)
        except Refused as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("已登记回款 ¥%(amount)s。", amount=f"{payment.amount:,.2f}"), "success")
            return redirect(url_for("sales.payment_list", contract_id=contract.id))
    return _page(contract, form, payment_service.contract_balance(contract), status=422)
