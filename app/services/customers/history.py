"""What a customer's page shows of its review: state, validity, pending requests, versions."""

import json
from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, or_, select

from app.extensions import db
from app.models import (
    ApprovalRequest,
    ChangeRequest,
    Customer,
    RecordVersion,
    RequestStatus,
    User,
)
from app.services.approvals.pages import REQUEST_LOADS, VERSION_LOADS
from app.services.approvals.signatures import Validity
from app.services.customers.fields import LABELS_ORDER, FieldChange, display
from app.services.customers.review import customer_validity, decode_values, pending_change


@dataclass
class VersionView:
    version: RecordVersion
    request: ApprovalRequest
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ReviewSummary:
    validity: Validity
    pending: ApprovalRequest | None
    change: ChangeRequest | None
    change_rows: list[FieldChange]
    change_request: ApprovalRequest | None
    versions: list[VersionView]


def _diff(old: dict, new: dict) -> list[FieldChange]:
    return [FieldChange(f, display(f, old.get(f)), display(f, new.get(f)))
            for f in LABELS_ORDER if old.get(f) != new.get(f)]


def signed_fields(version: RecordVersion) -> list[FieldChange]:
    """A version's signed fields for display (old = new: the value at that version)."""
    snapshot = json.loads(version.snapshot)
    return [FieldChange(f, display(f, snapshot.get(f)), display(f, snapshot.get(f)))
            for f in LABELS_ORDER]


# The review panel's statements, built once (every customer page runs them; building one costs
# as much as running it): the customer's id and its pending change's are bound when they run.
_VERSIONS = (select(RecordVersion).where(RecordVersion.record_type == "Customer",
                                         RecordVersion.record_id == bindparam("customer"))
             .order_by(RecordVersion.number).options(*VERSION_LOADS))
_REVIEW = and_(ApprovalRequest.record_type == "Customer",
               ApprovalRequest.record_id == bindparam("customer"))
_CHANGE_REVIEW = and_(ApprovalRequest.record_type == "ChangeRequest",
                      ApprovalRequest.record_id == bindparam("change"))
_PENDING = {with_change: select(ApprovalRequest).where(
    or_(_REVIEW, _CHANGE_REVIEW) if with_change else _REVIEW,
    ApprovalRequest.status == RequestStatus.PENDING).options(*REQUEST_LOADS)
    for with_change in (False, True)}


def versions(customer: Customer) -> list[VersionView]:
    rows = db.session.scalars(_VERSIONS, {"customer": customer.id}).unique().all()
    views, previous = [], {}
    for row in rows:
        snapshot = json.loads(row.snapshot)
        views.append(VersionView(row, row.approval_request, _diff(previous, snapshot)
                                 if previous else []))
        previous = snapshot
    return list(reversed(views))


def summary(customer: Customer) -> ReviewSummary:
    """The review panel of the customer's full page, with the registrar the page names. The
    versions come first: the validity check then finds the latest one's request and
    signatures already loaded (and a customer never signed has none to check)."""
    db.session.get(User, customer.created_by_id)  # usually the owner, already in the session
    history = versions(customer)
    change = pending_change(customer)
    change_rows = []
    if change:
        proposed = decode_values(json.loads(change.proposed))
        change_rows = [FieldChange(f, display(f, getattr(customer, f)), display(f, v))
                       for f, v in proposed.items()]
    pending, change_request = _pending_requests(customer, change)
    return ReviewSummary(
        validity=customer_validity(customer) if history else Validity("unsigned"),
        pending=pending, change=change, change_rows=change_rows,
        change_request=change_request, versions=history)


def _pending_requests(customer: Customer, change: ChangeRequest | None):
    """(the pending archive review, the pending change request's approval), each None when
    there is none, with what the panel shows of them, in one statement and one per
    selectinload."""
    found = {request.record_type: request for request in db.session.scalars(
        _PENDING[change is not None],
        {"customer": customer.id, "change": change.id if change else None}).unique()}
    return found.get("Customer"), found.get("ChangeRequest")
