"""Shared set-up for approval tests: a sales team, a GM and an outsider."""

from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest
from tests.factories import make_customer
from tests.support import PASSWORD


def draft(app, owner, **fields):
    return make_customer(app, owner, **fields)


def submit(client, customer) -> int:
    """Submits as the signed-in user through the route; returns the request id."""
    response = client.post_form(f"/customers/{customer.id}/submit", {})
    assert response.status_code == 303, response.get_data(as_text=True)
    return latest_request_id(client.application, customer.id)


def latest_request_id(app, record_id: int, record_type: str = "Customer") -> int:
    with app.app_context():
        return db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.record_type == record_type, ApprovalRequest.record_id == record_id)
            .order_by(ApprovalRequest.id.desc()))


def sign(client, request_id: int, decision: str = "approve", comment: str = "同意",
         password: str = PASSWORD, **kwargs):
    return client.post_form(f"/approvals/{request_id}/{decision}",
                            {"password": password, "comment": comment}, **kwargs)
