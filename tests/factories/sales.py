"""Sales records: contracts (one factory, registered through the service or stored directly),
their review, ledger rows, payments, visit plans and reports; returned detached."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from app.extensions import db
from app.models import (
    ApprovalRequest,
    Contract,
    ContractKind,
    ContractLine,
    ContractStatus,
    Customer,
    CustomerType,
    EntryKind,
    Payment,
    PaymentTerm,
    SalesEntry,
    TermKind,
    User,
    VisitPlan,
    VisitReport,
    VisitStatus,
)
from app.services.core import numbering
from app.services.core.search import index_tokens
from app.services.sales.contracts.data import ContractData, LineData, TermData
from app.services.sales.contracts.operations import create_contract
from app.services.sales.contracts.review import submit_review
from app.services.sales.scope import inherit_scope
from app.services.sales.visits import operations as visits
from app.timeutil import local_today
from tests.factories.approvals import sign_as
from tests.factories.customers import make_customer
from tests.support import D, detached

LINES = (("服务器", "X1", "台", "2", "500.00"),)  # product, spec, unit, quantity, unit price
REGISTERED_TERMS = (("advance", "1000.00", "2026-03-01"),)  # kind, amount, due date
STORED_TERMS = (("advance", "1000.00", 0),)  # kind, amount, days from today to the due date


def make_contract(app, customer: Customer | None = None, status: ContractStatus | None = None,
                  *, by: User | None = None, lines=LINES, terms=None, level=None,
                  **fields) -> Contract:
    """A contract of `customer` with its lines and terms (a term's due date is an ISO date or a
    number of days from today, negative for past), at `level` (default: the customer's).

    With `by`: registered by that user through the contract register, a draft (rules checked,
    numbered, audited), for a new customer of theirs if none is given; one advance due
    2026-03-01 unless told. Without: stored directly with the models in `status` (active unless
    told), where the register's rules are not under test (ledger, payments, ownership); signed
    today, one advance due today unless told."""
    if by is None:
        return _stored(app, customer, status or ContractStatus.ACTIVE, lines,
                       terms or STORED_TERMS, level, fields)
    if status not in (None, ContractStatus.DRAFT):
        raise ValueError("the register makes drafts only")
    customer = customer or make_customer(app, by)
    with app.app_context():
        level = level or db.session.get(Customer, customer.id).confidentiality
        values = _contract_data(customer.id, lines, terms or REGISTERED_TERMS,
                               confidentiality=level, **fields)
        contract = create_contract(values, db.session.get(User, by.id))
        db.session.commit()
        return detached(contract)


def _due(value, today: date) -> date:
    return today + timedelta(days=value) if isinstance(value, int) else date.fromisoformat(value)


def _contract_data(customer_id: int, lines=LINES, terms=REGISTERED_TERMS,
                  **fields) -> ContractData:
    """Contract values as the register takes them."""
    values = dict(name="设备采购合同", customer_id=customer_id, kind=ContractKind.SALES,
                  sign_date=date(2026, 1, 10))
    values.update(fields)
    today = local_today()
    return ContractData(
        **values, lines=[LineData(p, s, u, D(q), D(c)) for p, s, u, q, c in lines],
        terms=[TermData(TermKind(k), D(a), _due(d, today)) for k, a, d in terms])


def _stored(app, customer: Customer, status, lines, terms, level, fields) -> Contract:
    with app.app_context():
        owner = db.session.get(Customer, customer.id)
        today = local_today()
        values = {"name": "设备采购合同", "kind": ContractKind.SALES, "sign_date": today,
                  **fields}
        values["sign_date"] = values["sign_date"] or today
        contract = Contract(number=numbering.series_number("HT"), customer_id=owner.id,
                            status=status, created_by_id=owner.owner_id, **values)
        inherit_scope(contract, owner, level)
        for i, (product, spec, unit, quantity, price) in enumerate(lines):
            contract.lines.append(ContractLine(
                position=i + 1, product=product, spec=spec, unit=unit, quantity=D(quantity),
                unit_price=D(price), amount=D(quantity) * D(price)))
        contract.total_amount = sum((line.amount for line in contract.lines), Decimal(0))
        for kind, amount, due in terms:
            contract.terms.append(PaymentTerm(kind=TermKind(kind), amount=D(amount),
                                              due_date=_due(due, today)))
        contract.search_text = index_tokens(contract.name, contract.number)
        db.session.add(contract)
        db.session.commit()
        return detached(contract)


def load(app, contract_id: int) -> Contract:
    """The contract with its lines and terms, detached."""
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        db.session.refresh(contract)
        contract.lines, contract.terms  # noqa: B018 (loaded before leaving the session)
        db.session.expunge(contract)
        return contract


def term_ids(app, contract: Contract) -> list[int]:
    with app.app_context():
        return [t.id for t in db.session.get(Contract, contract.id).terms]


def submit(app, contract: Contract, submitter: User) -> int:
    """Submits the contract to its review through the engine; returns the request id."""
    with app.app_context():
        request = submit_review(db.session.get(Contract, contract.id),
                                db.session.get(User, submitter.id))
        db.session.commit()
        return request.id


def approved(app, team, contract: Contract, submitter: User | None = None) -> Contract:
    """The contract submitted (by the salesperson unless told) and signed through every step
    (by the manager, or the GM where the manager submitted)."""
    submitter = submitter or team.staff
    request_id = submit(app, contract, submitter)
    for signer in [u for u in (team.manager, team.gm, team.gm) if u.id != submitter.id]:
        with app.app_context():
            request = db.session.get(ApprovalRequest, request_id)
            waiting = request.status.value == "pending"
        if waiting:
            sign_as(app, request_id, signer)
    return load(app, contract.id)


def payload(customer_id, lines=LINES, terms=REGISTERED_TERMS, **fields) -> dict:
    """The contract form as posted (field names are the form's); a term may carry its id."""
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


def make_payment(app, contract: Contract, amount, paid_on: date | None = None,
                 term_index: int = 0, recorder: User | None = None) -> Payment:
    """A payment stored directly (no rule checks), in the contract's scope."""
    with app.app_context():
        found = db.session.get(Contract, contract.id)
        term = found.terms[term_index]
        payment = Payment(contract_id=found.id, term_id=term.id, paid_on=paid_on or local_today(),
                          amount=D(amount), recorded_by_id=(recorder or found.owner).id,
                          owner_id=found.owner_id, department_id=found.department_id,
                          confidentiality=found.confidentiality)
        db.session.add(payment)
        db.session.commit()
        return detached(payment)


def make_entry(app, contract: Contract, amount=None, quantity="1", unit_price="100.00",
               kind=EntryKind.SALE, entry_date: date | None = None, cost=None,
               product="服务器", contact_name=None) -> SalesEntry:
    """A ledger row under `contract`, stored directly; amount = quantity × unit price."""
    with app.app_context():
        found = db.session.get(Contract, contract.id)
        quantity, unit_price = D(quantity), D(amount if amount is not None else unit_price)
        entry = SalesEntry(entry_date=entry_date or local_today(), kind=kind,
                           customer_id=found.customer_id, contract_id=found.id,
                           product=product, quantity=quantity, unit_price=unit_price,
                           amount=quantity * unit_price, contact_name=contact_name,
                           cost=None if cost is None else D(cost),
                           created_by_id=found.owner_id)
        inherit_scope(entry, found.customer, found.confidentiality)
        db.session.add(entry)
        db.session.commit()
        return detached(entry)


def make_plan(app, customer, planned_date: date | None = None, **fields) -> VisitPlan:
    """A visit plan through the visits service, by the customer's owner."""
    with app.app_context():
        cust = db.session.get(Customer, customer.id)
        values = dict(planned_date=planned_date or local_today(), purpose="介绍新产品",
                      expected_time="09:30-11:00", contact_name="王经理")
        values.update(fields)
        plan = visits.create_plan(cust, visits.PlanData(**values),
                                  db.session.get(User, cust.owner_id))
        db.session.commit()
        return detached(plan)


def make_report(app, customer, visited_at: datetime | None = None, plan=None,
                **fields) -> VisitReport:
    """A report through the visits service; `visited_at` is local time (default: today at
    08:00)."""
    with app.app_context():
        cust = db.session.get(Customer, customer.id)
        values = dict(visited_at=visited_at or datetime.combine(local_today(), time(8, 0)),
                      contact_met="王经理", purpose="回访", content="介绍了新产品线")
        values.update(fields)
        linked = db.session.get(VisitPlan, plan.id) if plan is not None else None
        report = visits.create_report(cust, visits.ReportData(**values),
                                      db.session.get(User, cust.owner_id), linked)
        db.session.commit()
        return detached(report)


def make_visit(app, customer, status=VisitStatus.PLANNED) -> int:
    """A visit plan of `customer` in `status`, stored directly and scoped like its customer;
    returns its id."""
    with app.app_context():
        customer = db.session.get(Customer, customer.id)
        plan = VisitPlan(customer_id=customer.id, planned_date=date(2026, 3, 2),
                         customer_type=CustomerType.POTENTIAL, purpose="介绍新产品",
                         status=status)
        inherit_scope(plan, customer)
        db.session.add(plan)
        db.session.commit()
        return plan.id
