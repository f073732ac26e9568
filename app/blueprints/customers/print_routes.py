"""Printing a customer: 客户资料管理表 as PDF."""

from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import send_pdf
from app.blueprints.customers import bp
from app.models import Customer
from app.policy import Action
from app.services.customers.pdf import customer_sheet


@bp.get("/<int:customer_id>/print.pdf")
@login_required
def customer_print(customer_id: int):
    """客户资料管理表 as PDF for who may print the full profile; audited; 404 above clearance."""
    customer = policy.load(Customer, customer_id, Action.PRINT)
    return send_pdf(customer_sheet(customer, current_user))
