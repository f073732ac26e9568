"""Approvals: customers submitted and signed through the pages as the signed-in user, or
through the engine as a given user; the requests they make."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest, Customer, Decision, User
from app.services.approvals import engine as approvals
from app.services.customers.review import REVIEW_FLOW
from tests.factories.customers import make_customer
from tests.support import PASSWORD


def draft(app, owner, **fields):
    return make_customer(app, owner, **fields)


def submit(client, customer) -> int:
    """Submits as the signed-in user through the route; returns the request id."""
    response = client.post_form(f"/customers/{customer.id}/submit", {})
    assert response.status_code == 303, response.get_data(as_text=True)
    return latest_request_id(client.application, customer.id)


def sign(client, request_id: int, decision: str = "approve", comment: str = "同意",
         password: str = PASSWORD, **kwargs):
    """Signs as the signed-in user through the route, as a person does: opening the request's
    page first (whose sign form carries the receipt of having been shown the content, when the
    user may sign); returns the response."""
    return client.post_form(f"/approvals/{request_id}/{decision}",
                            {"password": password, "comment": comment,
                             "shown": shown_receipt(client, request_id)}, **kwargs)


def shown_receipt(client, request_id: int) -> str:
    """The viewing receipt the request's page gives the signed-in user ("" when none)."""
    page = client.get(f"/approvals/{request_id}").get_data(as_text=True)
    found = re.search(r'name="shown" value="([^"]+)"', page)
    return found.group(1) if found else ""


def sign_as(app, request_id: int, signer: User, decision=Decision.APPROVE, comment="同意"):
    """Signs the request as `signer` through the engine."""
    with app.app_context():
        request = db.session.get(ApprovalRequest, request_id)
        approvals.sign(request, db.session.get(User, signer.id), decision, comment, PASSWORD)
        db.session.commit()


def latest_request_id(app, record_id: int, record_type: str = "Customer") -> int:
    with app.app_context():
        return db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.record_type == record_type, ApprovalRequest.record_id == record_id)
            .order_by(ApprovalRequest.id.desc()))


def approval_of(app, claim_id: int) -> int:
    """The id of the newest approval request of an ownership request."""
    return latest_request_id(app, claim_id, "OwnershipRequest")


def request_of(app, customer: Customer) -> int:
    with app.app_context():
        return db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.record_type == "Customer", ApprovalRequest.record_id == customer.id))


def activate(app, customer, manager) -> None:
    """Runs the customer's archive review to the end: its owner submits, the manager approves
    (version 1)."""
    with app.app_context():
        record = db.session.get(Customer, customer.id)
        request = approvals.submit(REVIEW_FLOW, record, db.session.get(User, record.owner_id))
        db.session.commit()
        request_id = request.id
    sign_as(app, request_id, manager)


def approved_customer(app, team, **fields) -> Customer:
    """A customer submitted by its salesperson and approved by their manager."""
    customer = make_customer(app, team.staff, **fields)
    activate(app, customer, team.manager)
    return customer
