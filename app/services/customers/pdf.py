"""The customer's print: 客户资料管理表 (seed 003) with its signatures and what they still
attest: the fields changed since the signature (signed → current) and a pending change."""

import json

from flask_babel import gettext as _

from app.models import Customer, User
from app.services.core.pdf import Printed, render, watermark
from app.services.customers.drift import changed_since
from app.services.customers.fields import FieldChange, display
from app.services.customers.review import customer_validity, decode_values, pending_change
from app.timeutil import local_today


def _proposed(customer: Customer) -> tuple[object, list[FieldChange]]:
    """The pending change request, if any, and its fields as current → proposed."""
    change = pending_change(customer)
    if change is None:
        return None, []
    proposed = decode_values(json.loads(change.proposed))
    return change, [FieldChange(field, display(field, getattr(customer, field)),
                                display(field, value)) for field, value in proposed.items()]


def customer_sheet(customer: Customer, viewer: User) -> Printed:
    """客户资料管理表 of one customer, with its signatures and validity; the print is audited."""
    validity = customer_validity(customer)
    signed_by = validity.version.approval_request if validity.version else None
    changed = changed_since(customer, validity.version) if validity.version else []
    change, change_rows = _proposed(customer)
    level = customer.confidentiality
    data = render("pdf/customers/customer.html", customer=customer, validity=validity,
                  signatures=signed_by.signatures if signed_by else [], level=level,
                  changed=changed, change=change, change_rows=change_rows,
                  watermark=watermark(level, viewer), print_date=local_today())
    return Printed.named(data, _("客户资料管理表"), "customer", customer.number).audited(
        customer, viewer)
