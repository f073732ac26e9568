"""Printing an approval request: the 审批单 as PDF."""

from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import send_pdf
from app.blueprints.approvals import bp
from app.models import ApprovalRequest
from app.policy import Action
from app.services.approvals.sheet import approval_sheet


@bp.get("/<int:request_id>/sheet.pdf")
@login_required
def request_sheet(request_id: int):
    """The approval sheet as PDF for who may see the request; audited; 404 above clearance."""
    req = policy.load(ApprovalRequest, request_id, Action.PRINT)
    return send_pdf(approval_sheet(req, current_user))
