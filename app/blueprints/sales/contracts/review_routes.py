"""合同评审: submit a draft, see a signed version, print the 销售合同评审表."""

from decimal import Decimal

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import flash_outcome, send_pdf
from app.blueprints._once import once
from app.blueprints.sales import bp
from app.htmx import redirect, render
from app.models import Contract
from app.policy import Action
from app.services.approvals import engine as approvals
from app.services.core.money import rmb_upper
from app.services.sales.contracts import pdf as contract_pdf
from app.services.sales.contracts.history import (
    PAGE_LOADS,
    line_views,
    term_text,
    values_rows,
    versions,
)
from app.services.sales.contracts.review import submit_review


@bp.post("/contracts/<int:contract_id>/submit")
@login_required
@once
def contract_submit(contract_id: int):
    """Submits a draft for 合同评审 and freezes it; refuses a contract that is not a draft or
    whose terms no longer add up (the reason is shown on its page)."""
    contract = policy.load(Contract, contract_id, Action.SUBMIT)
    flash_outcome(lambda: submit_review(contract, current_user),
                  _("合同已提交评审，评审期间不能修改。"), approvals.ApprovalError)
    return redirect(url_for("sales.contract_detail", contract_id=contract_id))


@bp.get("/contracts/<int:contract_id>/versions/<int:number>")
@login_required
def contract_version(contract_id: int, number: int):
    """A signed version of the contract (the current or an earlier one) with its lines, terms
    and the signatures that attested it; 404 for a version that does not exist."""
    contract = policy.load(Contract, contract_id, Action.VIEW)
    history = versions(contract)
    view = next((v for v in history if v.version.number == number), None)
    if view is None:
        abort(404)
    total = Decimal(view.values["total_amount"])
    return render("sales/contract/version.html", contract=contract, view=view,
                  fields=values_rows(view.values), latest=history[0].version.number,
                  lines=line_views(view.values["lines"]), total=total,
                  amount_words=rmb_upper(total),
                  terms=[term_text(t) for t in view.values["terms"]])


@bp.get("/contracts/<int:contract_id>/review.pdf")
@login_required
def contract_review_pdf(contract_id: int):
    """销售合同评审表 as PDF for who may print the contract; audited; 404 above clearance."""
    contract = policy.load(Contract, contract_id, Action.PRINT, PAGE_LOADS)
    return send_pdf(contract_pdf.review_sheet(contract, current_user))
