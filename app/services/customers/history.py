"""What a customer's page shows of its review: state, validity, pending requests, versions."""

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    ApprovalRequest,
    ChangeRequest,
    Customer,
    RecordVersion,
)
from app.services.approvals.engine import pending_request
from app.services.approvals.pages import VERSION_LOADS, load_requests
from app.services.approvals.signatures import Validity
from app.services.core.loading import load_related
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


def versions(customer: Customer) -> list[VersionView]:
    rows = db.session.scalars(select(RecordVersion).where(
        RecordVersion.record_type == "Customer", RecordVersion.record_id == customer.id)
        .order_by(RecordVersion.number).options(*VERSION_LOADS)).all()
    views, previous = [], {}
    for row in rows:
        snapshot = json.loads(row.snapshot)
        views.append(VersionView(row, row.approval_request, _diff(previous, snapshot)
                                 if previous else []))
        previous = snapshot
    return list(reversed(views))


def summary(customer: Customer) -> ReviewSummary:
    """The review panel of the customer's full page, with the registrar the page names."""
    load_related([customer], joinedload(Customer.created_by))
    change = pending_change(customer)
    change_rows = []
    if change:
        proposed = decode_values(json.loads(change.proposed))
        change_rows = [FieldChange(f, display(f, getattr(customer, f)), display(f, v))
                       for f, v in proposed.items()]
    review = ReviewSummary(
        validity=customer_validity(customer),
        pending=pending_request("Customer", customer.id),
        change=change, change_rows=change_rows,
        change_request=pending_request("ChangeRequest", change.id) if change else None,
        versions=versions(customer))
    load_requests([review.pending, review.change_request])
    return review
