"""The customer's print: 客户资料管理表 (seed 003) with its signatures and validity."""

from flask_babel import gettext as _

from app.models import Customer, User
from app.services.core.pdf import Printed, render, watermark
from app.services.customers.review import customer_validity
from app.timeutil import local_today


def customer_sheet(customer: Customer, viewer: User) -> Printed:
    """客户资料管理表 of one customer, with its signatures and validity; the print is audited."""
    validity = customer_validity(customer)
    signed_by = validity.version.approval_request if validity.version else None
    level = customer.confidentiality
    data = render("pdf/customers/customer.html", customer=customer, validity=validity,
                  signatures=signed_by.signatures if signed_by else [], level=level,
                  watermark=watermark(level, viewer), print_date=local_today())
    return Printed.named(data, _("客户资料管理表"), "customer", customer.number).audited(
        customer, viewer)
