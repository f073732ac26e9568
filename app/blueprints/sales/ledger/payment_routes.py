"""回款: a contract's payments against its payment terms, and the form that records one."""

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import in_scope, send_export, show_refusal
from app.blueprints._once import once
from app.blueprints.sales import bp
from app.blueprints.sales.ledger.forms import PaymentForm
from app.blueprints.sales.ledger.reversal_views import money, reverse_step
from app.extensions import db
from app.htmx import redirect, render
from app.models import Contract, Payment
from app.models.sales.ledger import PaymentMethod
from app.policy import Action
from app.services.sales.contracts.history import PAGE_LOADS, load_page
from app.services.sales.ledger import payments as payment_service
from app.services.sales.ledger import payments_export, reversals
from app.services.sales.ledger.payments import EFFECTIVE, BeforeSigning, Refused
from app.timeutil import local_today

PAGE = "sales/payment/list.html"


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


def _page(contract: Contract, form: PaymentForm | None, balance, status: int = 200,
          early: str | None = None):
    load_page(contract)
    history = payment_service.history(in_scope(Payment), contract)
    ids = [p.id for p in history]
    return render(PAGE, "payments", status=status, contract=contract, balance=balance,
                  history=history, form=form, early=early,
                  reversed_ids=reversals.reversed_ids(Payment, ids),
                  pending_ids=reversals.pending_ids(Payment, ids))


@bp.get("/contracts/<int:contract_id>/payments")
@login_required
def payment_list(contract_id: int):
    """The contract's terms with paid/outstanding/overdue, its payments, and the form for
    those who may record one (sales staff and managers in scope; contract in force)."""
    contract = load_page(policy.load(Contract, contract_id, Action.VIEW, PAGE_LOADS))
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
    data = payments_export.workbook(in_scope(Payment, Action.EXPORT), contract)
    title = f"{_('回款记录')} {contract.number}"
    return send_export(data, f"{title}.xlsx", f"payments-{contract.number}.xlsx", label=title,
                       record=contract)


@bp.post("/contracts/<int:contract_id>/payments")
@login_required
@once
def payment_create(contract_id: int):
    """Records a payment; refuses an amount not above zero or above the term's outstanding
    amount, a future date, and a contract not in force (422 with the form kept); a date before
    the contract's signing is answered with a warning until the user confirms it."""
    contract = policy.load(Contract, contract_id, Action.EDIT)
    policy.require(Action.CREATE, Payment)
    form = _form(payment_service.contract_balance(contract))
    if form.validate_on_submit():
        try:
            payment = payment_service.record_payment(contract, payment_service.PaymentData(
                term_id=form.term.data, paid_on=form.paid_on.data, amount=form.amount.data,
                method=PaymentMethod(form.method.data), reference=form.reference.data,
                note=form.note.data, confirmed_early=form.confirm_early.data), current_user)
        except BeforeSigning as warning:
            db.session.rollback()
            return _page(contract, form, payment_service.contract_balance(contract),
                         status=422, early=warning.message)
        except Refused as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("已登记回款 ¥%(amount)s。", amount=f"{payment.amount:,.2f}"), "success")
            return redirect(url_for("sales.payment_list", contract_id=contract.id))
    return _page(contract, form, payment_service.contract_balance(contract), status=422)


@bp.route("/payments/<int:payment_id>/reverse", methods=["GET", "POST"])
@login_required
@once
def payment_reverse(payment_id: int):
    """红冲 a payment: GET shows it and asks the reason; POST reverses it (above the threshold:
    files the request for the manager's approval); refuses a blank reason, a reversal, and a
    payment already reversed or waiting for approval (422)."""
    payment = policy.load(Payment, payment_id, Action.EDIT)
    contract = payment.contract
    facts = [(_("合同编号"), f"{contract.number} {contract.name}"),
             (_("回款日期"), payment.paid_on.isoformat()),
             (_("款项"), str(payment.term.kind.label)), (_("金额"), money(payment.amount)),
             (_("付款方式"), str(payment.method.label) if payment.method else ""),
             (_("凭证/流水号"), payment.reference or "")]
    return reverse_step(payment, facts, url_for("sales.payment_list", contract_id=contract.id),
                        _("红冲回款"))
