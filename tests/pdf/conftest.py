"""PDF tests: a sales team (staff, their manager, a colleague from another department) and
helpers that approve a customer through the real engine and read a PDF's text with pypdf."""

import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest, Customer, Decision, DeptCode, Level, Role, User
from app.services import approvals
from app.services.customer_review import REVIEW_FLOW
from tests.conftest import PASSWORD
from tests.factories import make_customer, make_user


@dataclass
class Team:
    staff: User
    manager: User
    outsider: User  # another department: sees the basic card only


@pytest.fixture
def team(app) -> Team:
    return Team(
        staff=make_user(app, "sales1", full_name="李晓明", employee_no="S1001",
                        clearance=Level.CONFIDENTIAL),
        manager=make_user(app, "sales_mgr", role=Role.MANAGER, full_name="王建国",
                          employee_no="M2001", clearance=Level.CONFIDENTIAL),
        outsider=make_user(app, "cs1", dept=DeptCode.SERVICE, full_name="赵客服",
                           employee_no="C3001", clearance=Level.CONFIDENTIAL))


def approved_customer(app, team: Team, **fields) -> Customer:
    """A customer submitted by its salesperson and approved by their manager."""
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
