"""Customers in the approval engine: the archive review (草稿 → 审批中 → 已生效) and changes (变更)
to the key fields of an active customer, each approved change making a new signed version."""

import json

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import Customer, CustomerKind, Level, User
from app.models.approvals import ApprovalRequest, ChangeRequest, RecordVersion, RequestStatus
from app.models.base import utcnow
from app.models.customers import CustomerStatus
from app.services.approvals import engine as approvals
from app.services.approvals.signatures import (
    content_hash,
    latest_version,
    pii_digest,
    record_version,
    validity,
)
from app.services.core import audit
from app.services.core.notifications import Link
from app.services.customers.fields import FieldChange, display
from app.services.customers.operations import apply_key_changes

# What a manager's signature attests; other fields change freely (and are audited).
CHANGE_FIELDS = ("name", "kind", "id_number", "owner_id", "confidentiality")
REVIEW_FLOW = "customer.review"
CHANGE_FLOW = "customer.change"


def signed_snapshot(customer: Customer, **overrides) -> dict:
    """The signed content of a customer (overrides: proposed values of a change)."""
    values = {field: getattr(customer, field) for field in CHANGE_FIELDS}
    values.update(overrides)
    owner = db.session.get(User, values["owner_id"])
    return {
        "record": "Customer", "id": customer.id, "number": customer.number,
        "name": values["name"], "kind": str(values["kind"]),
        "id_number": pii_digest("Customer", customer.id, values["id_number"]),
        "owner_id": owner.id, "department_id": owner.department_id,
        "confidentiality": int(values["confidentiality"]),
    }


def customer_validity(customer: Customer):
    return validity("Customer", customer.id, signed_snapshot(customer))


class CustomerReview:
    """客户档案审核: a new customer becomes active when its department's manager approves."""

    record_type = "Customer"

    def load(self, record_id: int) -> Customer:
        return db.session.get(Customer, record_id)

    def subject(self, customer: Customer) -> Customer:
        return customer

    def snapshot(self, customer: Customer) -> dict:
        return signed_snapshot(customer)

    def department_id(self, customer: Customer) -> int:
        return customer.department_id

    def level(self, customer: Customer) -> Level:
        return customer.confidentiality

    def title(self, customer: Customer) -> str:
        return f"{customer.number} {customer.name}"

    def link(self, customer: Customer) -> Link:
        return Link("customers.customer_detail", {"customer_id": customer.id})

    def numbers(self, customer: Customer) -> dict:
        return {}

    def submitted(self, customer: Customer, request: ApprovalRequest) -> None:
        customer.status = CustomerStatus.SUBMITTED

    def approved(self, customer: Customer, request: ApprovalRequest) -> None:
        customer.status = CustomerStatus.ACTIVE
        new_version(customer, request)

    def returned(self, customer: Customer, request: ApprovalRequest) -> None:
        customer.status = CustomerStatus.DRAFT


def new_version(customer: Customer, request: ApprovalRequest) -> RecordVersion:
    """The customer's next signed version, attested by `request`."""
    return record_version("Customer", customer.id, signed_snapshot(customer), request)


class CustomerChange:
    """客户资料变更: key-field changes of an active customer, applied when approved."""

    record_type = "ChangeRequest"

    def load(self, record_id: int) -> ChangeRequest:
        return db.session.get(ChangeRequest, record_id)

    def customer(self, change: ChangeRequest) -> Customer:
        return db.session.get(Customer, change.record_id)

    subject = customer

    def proposed(self, change: ChangeRequest) -> dict:
        return decode_values(json.loads(change.proposed))

    def snapshot(self, change: ChangeRequest) -> dict:
        customer = self.customer(change)
        proposed = self.proposed(change)
        shown = {k: (pii_digest("Customer", customer.id, v) if k == "id_number" else str(v))
                 for k, v in proposed.items()}
        return {"record": "ChangeRequest", "id": change.id, "customer_id": customer.id,
                "base_version": change.base_version, "proposed": shown,
                "result_hash": content_hash(signed_snapshot(customer, **proposed))}

    def department_id(self, change: ChangeRequest) -> int:
        return self.customer(change).department_id

    def level(self, change: ChangeRequest) -> Level:
        proposed = self.proposed(change).get("confidentiality")
        return max(self.customer(change).confidentiality, Level(proposed or Level.PUBLIC))

    def title(self, change: ChangeRequest) -> str:
        customer = self.customer(change)
        return f"{customer.number} {customer.name}"

    def link(self, change: ChangeRequest) -> Link:
        return Link("customers.customer_detail", {"customer_id": change.record_id})

    def numbers(self, change: ChangeRequest) -> dict:
        return {}

    def changes(self, change: ChangeRequest) -> list[FieldChange]:
        """The proposed fields as old → new values, for the approval sheet."""
        original, proposed = json.loads(change.original), json.loads(change.proposed)
        return [FieldChange(name, display(name, original.get(name)), display(name, value))
                for name, value in proposed.items()]

    def submitted(self, change: ChangeRequest, request: ApprovalRequest) -> None:
        change.status = RequestStatus.PENDING

    def approved(self, change: ChangeRequest, request: ApprovalRequest) -> None:
        customer = self.customer(change)
        apply_key_changes(customer, self.proposed(change))
        change.status = RequestStatus.APPROVED
        change.applied_at = utcnow()
        db.session.flush()
        new_version(customer, request)

    def returned(self, change: ChangeRequest, request: ApprovalRequest) -> None:
        change.status = request.status


def decode_values(values: dict) -> dict:
    """Form values of key fields as stored in a change request (JSON) back to model values."""
    decoded = dict(values)
    if "kind" in decoded:
        decoded["kind"] = CustomerKind(decoded["kind"])
    if "confidentiality" in decoded:
        decoded["confidentiality"] = Level(int(decoded["confidentiality"]))
    return decoded


# Built once: every customer page asks it (building it costs as much as running it).
_PENDING_CHANGE = select(ChangeRequest).where(
    ChangeRequest.record_type == "Customer", ChangeRequest.record_id == bindparam("customer"),
    ChangeRequest.status == RequestStatus.PENDING)


def pending_change(customer: Customer) -> ChangeRequest | None:
    return db.session.scalar(_PENDING_CHANGE, {"customer": customer.id})


def propose_change(customer: Customer, changes: dict, reason: str, actor: User) -> ChangeRequest:
    """Files a change request for key fields; its own flow decides, the record waits."""
    if pending_change(customer):
        raise approvals.ApprovalError(_("该客户已有待审批的变更申请，请等待审批结束后再提交。"))
    version = latest_version("Customer", customer.id)
    original = {k: getattr(customer, k) for k in changes}
    change = ChangeRequest(
        record_type="Customer", record_id=customer.id,
        base_version=version.number if version else 0,
        original=audit.canonical_json({k: ("***" if k == "id_number" and v else v)
                                       for k, v in original.items()}),
        proposed=audit.canonical_json(changes), reason=reason,
        status=RequestStatus.PENDING, requested_by_id=actor.id)
    db.session.add(change)
    db.session.flush()
    approvals.submit(CHANGE_FLOW, change, actor)
    return change
