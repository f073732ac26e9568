"""Printing an approval request: the 审批单 as PDF."""

from flask_login import current_user, login_required

from app import policy
from app.blueprints.approvals import bp
from app.blueprints.downloads import pdf_attachment
from app.extensions import db
from app.models import ApprovalRequest
from app.policy import Action
from app.services.core import pdf


@bp.get("/<int:request_id>/sheet.pdf")
@login_required
def request_sheet(request_id: int):
    """The approval sheet as PDF for who may see the request; audited; 404 above clearance."""
    req = policy.load(ApprovalRequest, request_id, Action.PRINT)
    printed = pdf.approval_sheet(req, current_user)
    db.session.commit()
    return pdf_attachment(printed)
