"""合同变更: the change form (the contract form prefilled, plus 表5-15's own fields), and the 申请单
and 通知单 PDFs. Only an active contract can be changed, one pending change at a time."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status, send_pdf, show_refusal
from app.blueprints._once import once
from app.blueprints.sales import bp
from app.blueprints.sales.contracts.forms import ChangeForm
from app.blueprints.sales.contracts.rows import form_values
from app.blueprints.sales.contracts.views import page, posted
from app.extensions import db
from app.htmx import redirect
from app.models import Contract, ContractChange, ContractStatus, RequestStatus
from app.policy import Action
from app.services.approvals import engine as approvals
from app.services.core import accounts
from app.services.sales.contracts import operations as contracts
from app.services.sales.contracts import pdf as contract_pdf
from app.services.sales.contracts.changes import pending_change, propose_change
from app.services.sales.contracts.data import data_of

FORM = "sales/contract/change_form.html"


def _unavailable(contract: Contract) -> str | None:
    """Why the contract cannot take a change request now, or None."""
    if contract.status != ContractStatus.ACTIVE:
        return _("只有已生效的合同可以申请变更；草稿请直接编辑。")
    if pending_change(contract):
        return _("该合同已有待审批的变更申请，请等待审批结束后再提交。")
    return None


def _form(contract: Contract, command: str) -> ChangeForm:
    form = ChangeForm(formdata=posted(command), customers=[contract.customer],
                      levels=contracts.level_choices(current_user),
                      departments=accounts.departments(), data=form_values(data_of(contract)))
    form.customer_id.data = str(contract.customer_id)  # a change keeps its 订货单位
    return form


@bp.route("/contracts/<int:contract_id>/changes/new", methods=["GET", "POST"])
@login_required
@once
def contract_change_new(contract_id: int):
    """Files a change request (表5-15) for an active contract and starts its flow; refuses a
    contract that is not active or already has a pending change, and values a rule refuses."""
    contract = policy.load(Contract, contract_id, Action.EDIT)
    refusal = _unavailable(contract)
    if refusal:
        flash(refusal, "warning")
        return redirect(url_for("sales.contract_detail", contract_id=contract.id))
    command = request.form.get("op", "save")
    form = _form(contract, command)
    if request.method == "POST" and command != "save":
        return page(FORM, "contract_form", form, contract=contract)
    if form.validate_on_submit():
        try:
            propose_change(contract, form.contract_data(), form.change_info(), current_user)
        except contracts.Invalid as invalid:
            db.session.rollback()
            form.show(invalid.problems)
        except approvals.ApprovalError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("变更申请已提交，审批通过后生效并通知相关部门。"), "success")
            return redirect(url_for("sales.contract_detail", contract_id=contract.id))
    return page(FORM, "contract_form", form, form_status(), contract=contract)


def _change(contract_id: int, change_id: int) -> ContractChange:
    """The change of a contract the user may print; 404 for another contract's change."""
    contract = policy.load(Contract, contract_id, Action.PRINT)
    change = db.session.get(ContractChange, change_id)
    if change is None or change.contract_id != contract.id:
        abort(404)
    return change


@bp.get("/contracts/<int:contract_id>/changes/<int:change_id>/request.pdf")
@login_required
def contract_change_request_pdf(contract_id: int, change_id: int):
    """合同变更申请单 as PDF (拟制 / 审核 / 批准 as signed so far); audited."""
    return send_pdf(contract_pdf.change_request_sheet(_change(contract_id, change_id),
                                                      current_user))


@bp.get("/contracts/<int:contract_id>/changes/<int:change_id>/notice.pdf")
@login_required
def contract_change_notice_pdf(contract_id: int, change_id: int):
    """合同变更通知单 as PDF, once the change is approved (404 before); audited."""
    change = _change(contract_id, change_id)
    if change.status != RequestStatus.APPROVED:
        abort(404)
    return send_pdf(contract_pdf.change_notice(change, current_user))
