"""Factories for the contract tests: contracts through the real service, approvals through the
real engine, and form payloads as the browser posts them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.extensions import db
from app.models import (
    ApprovalRequest,
    Contract,
    ContractKind,
    Customer,
    Decision,
    DeptCode,
    Level,
    Role,
    TermKind,
    User,
)
from app.services.approvals import engine as approvals
from app.services.sales.contracts.data import ContractData, LineData, TermData
from app.services.sales.contracts.operations import create_contract
from app.services.sales.contracts.review import submit_review
from tests.factories import make_customer, make_user
from tests.support import PASSWORD


@dataclass
class Team:
    staff: User
    staff2: User
    manager: User
    gm: User
    service: User  # 客服部: gets change notices when chosen, sees no contract


def make_team(app) -> Team:
    """The people of the contract tests (each test module exposes it as its `team` fixture)."""
    return Team(
        staff=make_user(app, "sales1", full_name="李晓明", employee_no="S1001"),
        staff2=make_user(app, "sales2", full_name="周敏", employee_no="S1002"),
        manager=make_user(app, "sales_mgr", role=Role.MANAGER, full_name="王建国",
                          employee_no="M2001", clearance=Level.SECRET),
        gm=make_user(app, "gm", role=Role.GM, dept=DeptCode.MANAGEMENT, full_name="赵总",
                     employee_no="G0001", clearance=Level.CONFIDENTIAL),
        service=make_user(app, "cs1", dept=DeptCode.SERVICE, full_name="钱客服",
                          employee_no="C3001"))


def D(value) -> Decimal:  # noqa: N802 (reads like a literal)
    return Decimal(str(value))


def data(customer_id: int, lines=(("服务器", "X1", "台", "2", "500.00"),),
         terms=(("advance", "1000.00", "2026-03-01"),), **fields) -> ContractData:
    """Contract values: lines (product, spec, unit, quantity, price), terms (kind, amount, due)."""
    values = dict(name="设备采购合同", customer_id=customer_id, kind=ContractKind.SALES,
                  sign_date=date(2026, 1, 10), confidentiality=Level.INTERNAL)
    values.update(fields)
    return ContractData(
        **values, lines=[LineData(p, s, u, D(q), D(c)) for p, s, u, q, c in lines],
        terms=[TermData(TermKind(k), D(a), date.fromisoformat(d)) for k, a, d in terms])


def make_contract(app, owner: User, customer: Customer | None = None, **kwargs) -> Contract:
    """A draft contract registered by `owner` for `customer` (a new one of theirs if None)."""
    customer = customer or make_customer(app, owner)
    with app.app_context():
        contract = create_contract(data(customer.id, **kwargs), db.session.get(User, owner.id))
        db.session.commit()
        return detached(contract)


def detached(obj):
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


def load(app, contract_id: int) -> Contract:
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        db.session.refresh(contract)
        contract.lines, contract.terms  # noqa: B018 (loaded before leaving the session)
        db.session.expunge(contract)
        return contract


def submit(app, contract: Contract, submitter: User) -> int:
    with app.app_context():
        request = submit_review(db.session.get(Contract, contract.id),
                                db.session.get(User, submitter.id))
        db.session.commit()
        return request.id


def sign(app, request_id: int, signer: User, decision=Decision.APPROVE, comment="同意"):
    with app.app_context():
        request = db.session.get(ApprovalRequest, request_id)
        approvals.sign(request, db.session.get(User, signer.id), decision, comment, PASSWORD)
        db.session.commit()


def approved(app, team: Team, contract: Contract, submitter: User | None = None) -> Contract:
    """The contract submitted (by the salesperson unless told) and signed through every step
    (by the manager, or the GM where the manager submitted)."""
    submitter = submitter or team.staff
    request_id = submit(app, contract, submitter)
    for signer in [u for u in (team.manager, team.gm, team.gm) if u.id != submitter.id]:
        with app.app_context():
            request = db.session.get(ApprovalRequest, request_id)
            waiting = request.status.value == "pending"
        if waiting:
            sign(app, request_id, signer)
    return load(app, contract.id)


def payload(customer_id, lines=(("服务器", "X1", "台", "2", "500.00"),),
            terms=(("advance", "1000.00", "2026-03-01"),), **fields) -> dict:
    """The contract form as posted (field names are the form's)."""
    values = {"name": "设备采购合同", "customer_id": str(customer_id), "kind": "sales",
              "template_source": "company", "sign_date": "2026-01-10",
              "confidentiality": "2", "op": "save"}
    values.update(fields)
    for i, (product, spec, unit, quantity, price) in enumerate(lines):
        values.update({f"lines-{i}-product": product, f"lines-{i}-spec": spec,
                       f"lines-{i}-unit": unit, f"lines-{i}-quantity": quantity,
                       f"lines-{i}-unit_price": price})
    for i, term in enumerate(terms):
        kind, amount, due = term[:3]
        values.update({f"terms-{i}-kind": kind, f"terms-{i}-amount": amount,
                       f"terms-{i}-due_date": due,
                       f"terms-{i}-term_id": str(term[3]) if len(term) > 3 else ""})
    return values
