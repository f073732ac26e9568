"""The demo data `make run` loads: every state has examples, the sales pages have records
(referrals and ownership requests too), and everything it signs verifies (no 签字失效, an
intact audit chain)."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Contract,
    ContractStatus,
    Customer,
    CustomerStatus,
    OwnershipRequest,
    Payment,
    Referral,
    RequestStatus,
    SalesEntry,
    VisitPlan,
    VisitReport,
)
from app.services.approvals.verify import broken_requests, invalid_records
from app.services.core import audit
from app.services.demo import loader as demo


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_data_covers_every_state_and_verifies(app):
    with app.app_context():
        summary = demo.load("demo-password-1")
        db.session.commit()
        assert summary["customers"] == 200
        for status in (CustomerStatus.DRAFT, CustomerStatus.SUBMITTED, CustomerStatus.ACTIVE):
            assert _count(Customer, Customer.status == status), status
        for status in (ContractStatus.DRAFT, ContractStatus.SUBMITTED, ContractStatus.ACTIVE):
            assert _count(Contract, Contract.status == status), status
        assert _count(VisitPlan) and _count(VisitReport)
        assert _count(Payment) and _count(SalesEntry)
        assert _count(Referral, Referral.referred_id.is_not(None))
        assert _count(Referral, Referral.referred_id.is_(None))
        for status in (RequestStatus.PENDING, RequestStatus.APPROVED, RequestStatus.REJECTED):
            assert _count(OwnershipRequest, OwnershipRequest.status == status), status
        assert invalid_records() + broken_requests() == []
        assert audit.verify_chain().intact
