"""The confirmation step of a reversal (红冲), shared by payments and ledger rows: the page shows
the original and asks the reason; the POST reverses it or files the request for approval."""

from flask import flash
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints._kit import form_status, show_refusal
from app.blueprints.sales.ledger.forms import ReverseForm
from app.extensions import db
from app.htmx import redirect, render
from app.models.sales.ledger import ReversalRequest
from app.services.core.errors import Refused
from app.services.sales.ledger import reversals

PAGE = "sales/ledger/reverse.html"


def money(value) -> str:
    return f"¥{value:,.2f}"


def reverse_step(original, facts: list[tuple[str, str]], back: str, title: str):
    """GET: the original (`facts`: label, value) and the reason form; POST: the reversal, or
    above the threshold its approval request; a refusal keeps the form (422)."""
    form = ReverseForm()
    approval = reversals.needs_approval(original)
    refused = reversals.refusal(original)
    if form.validate_on_submit():
        try:
            done = reversals.reverse(original, form.reason.data, current_user)
        except Refused as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_done_message(done, original), "success")
            return redirect(back)
    return render(PAGE, status=form_status(), form=form, facts=facts, back=back, title=title,
                  approval=approval, refused=refused,
                  threshold=money(reversals.approval_threshold()))


def _done_message(done, original) -> str:
    if isinstance(done, ReversalRequest):
        return _("金额超过审批限额，红冲申请已提交部门经理审批；批准后才会生效。")
    return _("已红冲 %(amount)s，原记录保留并划线显示；如需更正，请重新登记正确的记录。",
             amount=money(original.amount))
