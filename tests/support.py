"""What tests share besides fixtures and factories: the test password, the backend, PDF
reading and the customer approved through the real engine (tests never import conftest)."""

import io
from contextlib import contextmanager

from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest, Customer, Decision, User
from app.services.approvals import engine as approvals
from app.services.customers.review import REVIEW_FLOW

PASSWORD = "Secret-123"


@contextmanager
def in_app(app):
    with app.app_context():
        yield
        db.session.remove()


def is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def approved_customer(app, team, **fields) -> Customer:
    """A customer submitted by its salesperson and approved by their manager."""
    from tests.factories import make_customer

    customer = make_customer(app, team.staff, **fields)
    with app.app_context():
        record = db.session.get(Customer, customer.id)
        request = approvals.submit(REVIEW_FLOW, record, db.session.get(User, team.staff.id))
        db.session.commit()
        approvals.sign(request, db.session.get(User, team.manager.id), Decision.APPROVE, "同意",
                       PASSWORD)
        db.session.commit()
    return customer


def request_of(app, customer: Customer) -> int:
    with app.app_context():
        return db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.record_type == "Customer", ApprovalRequest.record_id == customer.id))


def pdf_reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:200]
    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """All pages' text, as a reader's copy and paste would give it."""
    return "\n".join(page.extract_text() for page in pdf_reader(data).pages)
