"""Demo sales records, so the sales pages of a fresh `make run` are not empty: contacts, visit
plans (some overdue) and reports, contracts in every review state with payment terms, payments
(paid, partly paid, overdue) and ledger rows, referrals and ownership requests
(sales_ownership). All go through the services, as a user's would."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from app.models import (
    ContractKind,
    Customer,
    CustomerStatus,
    Decision,
    EntryKind,
    Interest,
    RequestStatus,
    TermKind,
    User,
)
from app.models.sales.ledger import PaymentMethod
from app.services.approvals import engine as approvals
from app.services.customers import contacts
from app.services.demo import sales_ownership
from app.services.sales.contracts import operations as contracts
from app.services.sales.contracts.data import ContractData, LineData, TermData
from app.services.sales.contracts.review import submit_review
from app.services.sales.ledger import operations as ledger
from app.services.sales.ledger import payments
from app.services.sales.visits import operations as visits

PRODUCTS = (("工业服务器", "R740", "台", "86000.00"), ("存储阵列", "S5500", "套", "128000.00"),
            ("交换机", "S6730", "台", "24500.00"), ("运维服务", "年度", "年", "60000.00"),
            ("软件许可", "企业版", "套", "45000.00"), ("UPS 电源", "20kVA", "台", "18800.00"))
PURPOSES = ("新品推介", "合同洽谈", "回款催收", "售后回访", "需求调研")
TITLES = ("采购经理", "总经理", "技术总监", "财务主管")


def load(users: dict[str, User], made: list[Customer], password: str, today: date) -> dict:
    """Sales records for the demo's active customers owned by salespeople; counts by kind."""
    rng = random.Random(2026)
    every_active = [c for c in made if c.status == CustomerStatus.ACTIVE]
    active = every_active[:60]
    for customer in active[:40]:
        _contact(customer, rng)
    plans = sum(_visits(customer, rng, today) for customer in active[:30])
    signed = [_contract(i, customer, users, password, rng, today)
              for i, customer in enumerate(active[:24])]
    paid = sum(_payments(contract, rng, today) for contract in signed if contract)
    return {"contacts": 40, "visit plans": plans, "contracts": len(signed), "payments": paid,
            **sales_ownership.load(users, every_active, password, today)}


def _contact(customer: Customer, rng: random.Random) -> None:
    contacts.create_contact(customer, contacts.ContactData(
        name=customer.contact_name or "联系人", title=rng.choice(TITLES),
        mobile=customer.phone, email=customer.email, is_primary=True), customer.owner)


def _visits(customer: Customer, rng: random.Random, today: date) -> int:
    """Two plans each: one in the past (reported, or left overdue), one in the coming days."""
    owner, purpose = customer.owner, rng.choice(PURPOSES)
    past = visits.create_plan(customer, visits.PlanData(
        planned_date=today - timedelta(days=rng.randint(1, 20)), purpose=purpose,
        expected_time="10:00", contact_name=customer.contact_name), owner)
    if rng.random() < 0.8:
        visits.create_report(customer, visits.ReportData(
            visited_at=datetime.combine(past.planned_date, time(10, 30)),
            contact_met=customer.contact_name or "联系人", purpose=purpose,
            content="介绍了公司新产品和服务方案，客户提出了交付周期方面的问题。",
            interest=rng.choice(list(Interest)), next_topic="报价与交付计划",
            next_meeting_date=today + timedelta(days=rng.randint(5, 30)),
            follow_up_actions="一周内发送正式报价"), owner, plan=past)
    visits.create_plan(customer, visits.PlanData(
        planned_date=today + timedelta(days=rng.randint(0, 10)), purpose=rng.choice(PURPOSES),
        expected_time="14:00", contact_name=customer.contact_name), owner)
    return 2


def _contract(i: int, customer: Customer, users: dict[str, User], password: str,
              rng: random.Random, today: date):
    """A contract whose state follows i: draft, under review, or in force (most); big ones
    also need the GM. Returns it when in force."""
    owner = customer.owner
    contract = contracts.create_contract(_contract_data(customer, rng, today), owner)
    if i % 6 == 5:
        return None  # 草稿
    request = submit_review(contract, owner)
    if i % 6 == 4:
        return None  # 评审中
    while request.status == RequestStatus.PENDING:
        signer = users["gm"] if (owner.id == users["sales_mgr"].id
                                 or request.current_step > 1) else users["sales_mgr"]
        approvals.sign(request, signer, Decision.APPROVE, "同意", password)
    return contract


def _contract_data(customer: Customer, rng: random.Random, today: date) -> ContractData:
    lines = [LineData(product=p, spec=s, unit=u, quantity=Decimal(rng.randint(1, 6)),
                      unit_price=Decimal(price))
             for p, s, u, price in rng.sample(PRODUCTS, rng.randint(1, 3))]
    total = sum(line.amount for line in lines)
    signed_on = today - timedelta(days=rng.randint(20, 200))
    advance = (total * Decimal("0.3")).quantize(Decimal("0.01"))
    retention = (total * Decimal("0.1")).quantize(Decimal("0.01"))
    terms = [TermData(TermKind.ADVANCE, advance, signed_on + timedelta(days=15)),
             TermData(TermKind.ACCEPTANCE, total - advance - retention,
                      signed_on + timedelta(days=rng.randint(60, 150))),
             TermData(TermKind.RETENTION, retention, signed_on + timedelta(days=365))]
    return ContractData(
        name=f"{customer.name}{lines[0].product}采购合同", customer_id=customer.id,
        kind=ContractKind.SALES, sign_date=signed_on, start_date=signed_on,
        end_date=signed_on + timedelta(days=365), delivery_date=signed_on + timedelta(days=30),
        delivery_place=customer.address, acceptance_method="到货验收", copies=2,
        confidentiality=customer.confidentiality, lines=lines, terms=terms)


# How customers pay each term (stored as codes, shown in the user's language).
_METHODS = {TermKind.ADVANCE: PaymentMethod.BANK_TRANSFER,
            TermKind.ACCEPTANCE: PaymentMethod.ACCEPTANCE_BILL,
            TermKind.RETENTION: PaymentMethod.CHECK}


def _payments(contract, rng: random.Random, today: date) -> int:
    """Ledger rows for its lines; the advance paid, the acceptance payment sometimes paid in
    part, so that the receivables show paid, owed and overdue amounts."""
    for line in contract.lines:
        ledger.create_entry(contract, ledger.EntryData(
            entry_date=contract.sign_date, kind=EntryKind.SALE, contact_name=None,
            product=line.product, spec=line.spec, quantity=line.quantity,
            unit_price=line.unit_price, cost=(line.unit_price * Decimal("0.7")).quantize(
                Decimal("0.01")), invoice_no=f"FP{contract.id:06d}", remarks=None),
            contract.owner)
    count = 0
    for term in contract.terms:
        if term.due_date > today or (term.kind != TermKind.ADVANCE and rng.random() < 0.5):
            continue
        share = Decimal(1) if term.kind == TermKind.ADVANCE else Decimal("0.5")
        payments.record_payment(contract, payments.PaymentData(
            term_id=term.id, paid_on=min(term.due_date, today), method=_METHODS[term.kind],
            amount=(term.amount * share).quantize(Decimal("0.01"))), contract.owner)
        count += 1
    return count
