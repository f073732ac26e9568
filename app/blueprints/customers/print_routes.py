"""Printing a customer: 客户资料管理表 as PDF."""

from flask_login import current_user, login_required

from app import policy
from app.blueprints.customers import bp
from app.blueprints.downloads import pdf_attachment
from app.extensions import db
from app.models import Customer
from app.policy import Action
from app.services.core import pdf


@bp.get("/<int:customer_id>/print.pdf")
@login_required
def customer_print(customer_id: int):
    """客户资料管理表 as PDF for who may print the full profile; audited; 404 above clearance."""
    customer = policy.load(Customer, customer_id, Action.PRINT)
    printed = pdf.customer_sheet(customer, current_user)
    db.session.commit()
    return pdf_attachment(printed)
