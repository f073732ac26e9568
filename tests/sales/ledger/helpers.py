"""Factories for the sales ledger, payments and receivables tests: contracts built directly
with the models (not through the contracts service), ledger rows and payments."""

from datetime import date, timedelta
from decimal import Decimal

from app.extensions import db
from app.models import (
    Contract,
    ContractKind,
    ContractLine,
    ContractStatus,
    Customer,
    EntryKind,
    Payment,
    PaymentTerm,
    SalesEntry,
    TermKind,
    User,
)
from app.services.core import numbering
from app.services.core.search import index_tokens
from app.services.sales.scope import inherit_scope
from app.timeutil import local_today


def D(value) -> Decimal:  # noqa: N802 (reads like a literal)
    return Decimal(str(value))


def make_contract(app, customer: Customer, terms=(("advance", "1000.00", 0),),
                  lines=(("服务器", "X1", "2", "500.00"),), status=ContractStatus.ACTIVE,
                  sign_date: date | None = None, level=None, name="设备采购合同") -> Contract:
    """A contract of `customer` with its lines and terms; a term is (kind, amount, days from
    today to its due date, negative for past), inheriting the customer's scope."""
    with app.app_context():
        owner = db.session.get(Customer, customer.id)
        today = local_today()
        contract = Contract(number=numbering.series_number("HT"), name=name,
                            customer_id=owner.id, kind=ContractKind.SALES,
                            sign_date=sign_date or today, status=status,
                            created_by_id=owner.owner_id)
        inherit_scope(contract, owner, level)
        for i, (product, spec, quantity, price) in enumerate(lines):
            amount = D(quantity) * D(price)
            contract.lines.append(ContractLine(position=i + 1, product=product, spec=spec,
                                               unit="台", quantity=D(quantity),
                                               unit_price=D(price), amount=amount))
        contract.total_amount = sum((line.amount for line in contract.lines), Decimal(0))
        for kind, amount, days in terms:
            contract.terms.append(PaymentTerm(kind=TermKind(kind), amount=D(amount),
                                              due_date=today + timedelta(days=days)))
        contract.search_text = index_tokens(contract.name, contract.number)
        db.session.add(contract)
        db.session.commit()
        return _detached(contract)


def _detached(obj):
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


def term_ids(app, contract: Contract) -> list[int]:
    with app.app_context():
        return [t.id for t in db.session.get(Contract, contract.id).terms]


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
        return _detached(payment)


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
        return _detached(entry)


def today(app) -> date:
    """Today in the company's time zone (what the application calls today)."""
    with app.app_context():
        return local_today()
