"""Set-up for the ownership, reassignment and referral tests: contracts and visit plans made
directly with the models (their services are written elsewhere), customers made active, users
made to leave."""

import itertools
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import (
    ApprovalRequest,
    Contract,
    ContractKind,
    ContractStatus,
    Customer,
    CustomerType,
    Decision,
    Notification,
    User,
    VisitPlan,
    VisitStatus,
)
from app.services.approvals import engine as approvals
from app.services.sales.scope import inherit_scope
from tests.support import PASSWORD

_serial = itertools.count(1)


def make_contract(app, customer, status=ContractStatus.DRAFT) -> int:
    """A contract of `customer` in `status`, scoped like its customer; returns its id."""
    with app.app_context():
        customer = db.session.get(Customer, customer.id)
        contract = Contract(number=f"HT-T-{next(_serial):04d}", name="测试合同",
                            customer_id=customer.id, kind=ContractKind.SALES, status=status,
                            created_by_id=customer.owner_id)
        inherit_scope(contract, customer)
        db.session.add(contract)
        db.session.commit()
        return contract.id


def make_visit(app, customer, status=VisitStatus.PLANNED) -> int:
    """A visit plan of `customer` in `status`, scoped like its customer; returns its id."""
    with app.app_context():
        customer = db.session.get(Customer, customer.id)
        plan = VisitPlan(customer_id=customer.id, planned_date=date(2026, 3, 2),
                         customer_type=CustomerType.POTENTIAL, purpose="介绍新产品",
                         status=status)
        inherit_scope(plan, customer)
        db.session.add(plan)
        db.session.commit()
        return plan.id


def activate(app, customer, manager) -> None:
    """Runs the customer's archive review to the end: the manager approves, version 1."""
    with app.app_context():
        record = db.session.get(Customer, customer.id)
        request = approvals.submit("customer.review", record, db.session.get(User, record.owner_id))
        approvals.sign(request, db.session.get(User, manager.id), Decision.APPROVE, "同意",
                       PASSWORD)
        db.session.commit()


def deactivate(app, user) -> None:
    """The user leaves the company (what the admin's switch does to the account)."""
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()


def owners_of(app, model, ids) -> list[int]:
    """The owner_id of each row of `model` with these ids, in the given order."""
    with app.app_context():
        return [db.session.get(model, row_id).owner_id for row_id in ids]


def notices(app, user) -> list[str]:
    """The kinds of the user's notices, oldest first."""
    with app.app_context():
        return list(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == user.id).order_by(Notification.id)))


def approval_of(app, claim_id: int) -> int:
    """The id of the newest approval request of an ownership request."""
    with app.app_context():
        return db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.record_type == "OwnershipRequest",
            ApprovalRequest.record_id == claim_id).order_by(ApprovalRequest.id.desc()))
