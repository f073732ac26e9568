"""The customer file (客户档案) in the archive: 客户资料管理表 as signed, filed under 门类 KH; its
retention counts from the end of the relationship (流失)."""

from datetime import date

from sqlalchemy import Select

from app.models import Customer, CustomerType
from app.services.core.pdf import Archival, render_archival
from app.services.core.record_kinds import latest_signed
from app.services.customers.drift import changed_since
from app.services.customers.review import customer_validity
from app.timeutil import local_today, to_local


class CustomerFiling:
    """客户档案: the sheet of the signed customer (a pending change is not part of it)."""

    category = "KH"
    model = Customer

    def business_number(self, customer: Customer) -> str:
        return customer.number

    def customer_id(self, customer: Customer) -> int:
        return customer.id

    def trigger_date(self, customer: Customer, trigger: str) -> date | None:
        """The relationship ends when the customer is marked 流失 (its last change dates it)."""
        if trigger == "relationship_end" and customer.type == CustomerType.LOST:
            return to_local(customer.updated_at).date()
        return None

    def eligible(self, department_id: int, start, end) -> Select:
        return latest_signed("Customer", Customer, department_id, start, end)

    def pdf(self, customer: Customer, archival: Archival) -> bytes:
        """客户资料管理表 with its signatures and the fields changed since them, as filed."""
        validity = customer_validity(customer)
        request = validity.version.approval_request if validity.version else None
        signatures = list(request.signatures) if request else []
        changed = changed_since(customer, validity.version) if validity.version else []
        _ = customer.created_by.full_name  # the template reads it: loaded here, not there
        return render_archival("pdf/customers/customer.html", archival, customer=customer,
                               validity=validity, signatures=signatures,
                               level=customer.confidentiality, changed=changed, change=None,
                               change_rows=[], print_date=local_today())
