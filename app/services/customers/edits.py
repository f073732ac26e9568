"""Editing a customer by its state: a draft freely; nothing while under review; an active
customer's free fields at once and its key fields through a change request (变更)."""

from dataclasses import dataclass

from flask_babel import gettext as _

from app.models import ChangeRequest, Customer, CustomerStatus, User
from app.services.core.edits import check_version
from app.services.customers import operations as customers
from app.services.customers.review import CHANGE_FIELDS, propose_change


@dataclass
class EditOutcome:
    applied: dict  # {field: [old, new]} saved now
    change_request: ChangeRequest | None = None


def save_edit(customer: Customer, data: customers.CustomerData, expected_version: int,
              reason: str | None, actor: User) -> EditOutcome:
    """Saves what the customer's state allows; raises Refused, EditConflict or DuplicateName."""
    if customer.status == CustomerStatus.SUBMITTED:
        raise customers.Refused(_("审批中的客户不能修改；如需修改，请先撤回提交。"))
    values = customers.requested_values(customer, data)
    if customer.status == CustomerStatus.DRAFT:
        return EditOutcome(customers.update_customer(customer, values, expected_version, actor))
    key = {field: value for field, value in values.items() if field in CHANGE_FIELDS}
    free = {field: value for field, value in values.items() if field not in CHANGE_FIELDS}
    check_version(customer, expected_version)
    if key:
        if not (reason or "").strip():
            raise customers.Refused(_("修改客户名称、性质、身份证号、负责人或密级需经部门经理审批，"
                                      "请填写变更原因。"), "change_reason")
        customers.check_values(customer, key)
    applied = customers.update_customer(customer, free, expected_version, actor) if free else {}
    change = propose_change(customer, key, reason.strip(), actor) if key else None
    return EditOutcome(applied, change)
