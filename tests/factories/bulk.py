"""Many rows at once, stored directly (no service rules), for the tests that count the SQL
statements of a list page: every row has a customer and a salesperson of its own, so a page
that loads a related row per row sends more statements for more rows."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from app.extensions import db
from app.models import (
    Contract,
    ContractKind,
    ContractLine,
    ContractStatus,
    Customer,
    CustomerKind,
    CustomerStatus,
    CustomerType,
    Department,
    DeptCode,
    Grade,
    ImportBatch,
    Industry,
    OwnershipRequest,
    Payment,
    PaymentTerm,
    Referral,
    Role,
    SalesEntry,
    TermKind,
    User,
    VisitPlan,
    VisitReport,
)
from app.services.approvals import engine as approvals
from app.services.core import audit
from app.services.customers.review import REVIEW_FLOW
from app.services.sales.scope import inherit_scope
from app.timeutil import local_today
from tests.factories.people import make_user
from tests.support import serial


def salespeople(app, count: int) -> list[User]:
    """`count` sales staff, each with a name of their own."""
    return [make_user(app, f"rep{n}", role=Role.STAFF, dept=DeptCode.SALES,
                      full_name=f"销售{n}号") for n in (serial() for _ in range(count))]


def customers(app, owners: list[User], status=CustomerStatus.ACTIVE) -> list[int]:
    """One customer per owner, in the owner's department; their ids."""
    with app.app_context():
        sales = db.session.query(Department).filter_by(code=DeptCode.SALES).one()
        rows = []
        for owner in owners:
            n = serial()
            rows.append(Customer(
                number=f"2026-TECH-{n:05d}", name=f"批量客户{n}有限公司",
                name_key=f"批量客户{n}有限公司", name_sort=f"pi liang {n:05d}",
                kind=CustomerKind.UNIT, contact_name=f"联系人{n}", phone=f"137{n:08d}",
                industry=Industry.TECH, type=CustomerType.DEAL, grade=Grade.B,
                owner_id=owner.id, department_id=sales.id, created_by_id=owner.id,
                status=status))
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def _scoped(record, customer_id: int):
    inherit_scope(record, db.session.get(Customer, customer_id))
    return record


def contracts(app, customer_ids: list[int], status=ContractStatus.ACTIVE,
              due_in_days: int = -10) -> list[int]:
    """An active contract per customer: one line, one advance term (overdue by default)."""
    with app.app_context():
        rows = []
        for customer_id in customer_ids:
            n = serial()
            contract = _scoped(Contract(
                number=f"HT{n:06d}", name=f"批量合同{n}", customer_id=customer_id,
                kind=ContractKind.SALES, sign_date=local_today(), status=status,
                total_amount=Decimal("1000.00"),
                created_by_id=db.session.get(Customer, customer_id).owner_id), customer_id)
            contract.lines.append(ContractLine(position=1, product="服务器", quantity=Decimal(2),
                                               unit_price=Decimal("500.00"),
                                               amount=Decimal("1000.00")))
            contract.terms.append(PaymentTerm(
                kind=TermKind.ADVANCE, amount=Decimal("1000.00"),
                due_date=local_today() + timedelta(days=due_in_days)))
            rows.append(contract)
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def entries(app, contract_ids: list[int]) -> None:
    """A ledger row under each contract."""
    with app.app_context():
        for contract_id in contract_ids:
            contract = db.session.get(Contract, contract_id)
            db.session.add(_scoped(SalesEntry(
                entry_date=local_today(), customer_id=contract.customer_id,
                contract_id=contract.id, product="服务器", quantity=Decimal(1),
                unit_price=Decimal("100.00"), amount=Decimal("100.00"),
                created_by_id=contract.owner_id), contract.customer_id))
        db.session.commit()


def payments(app, contract_id: int, count: int) -> None:
    """`count` payments of ¥1.00 against the contract's first term, by different people."""
    recorders = salespeople(app, count)
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        term = contract.terms[0]
        for recorder in recorders:
            db.session.add(Payment(
                contract_id=contract.id, term_id=term.id, paid_on=local_today(),
                amount=Decimal("1.00"), recorded_by_id=recorder.id, owner_id=contract.owner_id,
                department_id=contract.department_id, confidentiality=contract.confidentiality))
            term.paid_total += Decimal("1.00")
        db.session.commit()


def visits(app, customer_ids: list[int], day: date) -> None:
    """A plan on `day` and a report at 10:00 that day for each customer."""
    with app.app_context():
        for customer_id in customer_ids:
            db.session.add(_scoped(VisitPlan(
                customer_id=customer_id, planned_date=day, customer_type=CustomerType.DEAL,
                purpose="回访"), customer_id))
            db.session.add(_scoped(VisitReport(
                customer_id=customer_id, visited_at=datetime.combine(day, time(2, 0)),
                contact_met="王经理", purpose="回访", content="介绍新产品"), customer_id))
        db.session.commit()


def referrals(app, customer_ids: list[int]) -> None:
    """Each customer refers the next one (the last refers a new name)."""
    with app.app_context():
        for i, customer_id in enumerate(customer_ids):
            referred = customer_ids[i + 1] if i + 1 < len(customer_ids) else None
            db.session.add(_scoped(Referral(
                referrer_id=customer_id, referred_id=referred, referred_name=f"被介绍{i}",
                referred_on=local_today()), customer_id))
        db.session.commit()


def ownership_requests(app, customer_ids: list[int], requesters: list[User]) -> None:
    """A pending transfer request per customer, each by another salesperson."""
    with app.app_context():
        for customer_id, requester in zip(customer_ids, requesters, strict=True):
            db.session.add(OwnershipRequest(
                customer_id=customer_id, requested_by_id=requester.id, reason="接手客户",
                from_owner_id=db.session.get(Customer, customer_id).owner_id))
        db.session.commit()


def import_batches(app, creators: list[User]) -> None:
    """A finished customer import by each user."""
    with app.app_context():
        for creator in creators:
            db.session.add(ImportBatch(ledger="customers", filename="客户.xlsx", file_data=b"",
                                       created_by_id=creator.id, total_rows=1, processed=1))
        db.session.commit()


def submitted(app, customer_ids: list[int]) -> None:
    """Each (draft) customer submitted to its archive review by its owner: a request waiting
    for their manager."""
    with app.app_context():
        for customer_id in customer_ids:
            record = db.session.get(Customer, customer_id)
            approvals.submit(REVIEW_FLOW, record, db.session.get(User, record.owner_id))
        db.session.commit()


def audit_events(app, actors: list[User]) -> None:
    """An event by each user."""
    with app.app_context():
        for actor in actors:
            audit.record("login", db.session.get(User, actor.id))
        db.session.commit()
