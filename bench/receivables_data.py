"""Benchmark data for the receivables aging: contracts with lines, payment terms and payments,
bulk-inserted (explicit ids, batches of Core inserts) and kept between runs."""

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, text

from app.extensions import db
from app.models import (
    Contract,
    ContractKind,
    ContractLine,
    ContractStatus,
    Customer,
    Payment,
    PaymentTerm,
    TermKind,
    User,
)
from app.models.base import utcnow
from app.services.demo import loader as demo
from app.services.demo.synthetic import bench_salespeople, bulk_customers

PRODUCTS = (("服务器", "R740"), ("交换机", "S5735"), ("存储阵列", "OceanStor 5300"),
            ("工控机", "IPC-610"), ("软件许可", "V3.0"), ("运维服务", "年度"))
STATUSES = ((ContractStatus.ACTIVE, 88), (ContractStatus.CLOSED, 5),
            (ContractStatus.SUBMITTED, 3), (ContractStatus.DRAFT, 4))
BATCH = 5000


def _next_id(model) -> int:
    return db.session.scalar(select(func.coalesce(func.max(model.id), 0))) + 1


def ensure_people(password: str, customers: int) -> None:
    """The demo users (sales_mgr, gm...), 100 salespeople and their customers."""
    if not db.session.scalar(select(User).where(User.username == "sales_mgr")):
        demo.create_users(password)
        db.session.commit()
    bench_salespeople()
    existing = db.session.scalar(select(func.count()).select_from(Customer))
    if existing < customers:
        bulk_customers(customers - existing)
    db.session.commit()


def add_contracts(count: int, seed: int = 42) -> float:
    """Inserts `count` contracts (1 line, 3 terms each, payments on most due terms); seconds."""
    started = time.perf_counter()
    rng = random.Random(seed + _next_id(Contract))
    customers = db.session.execute(select(Customer.id, Customer.owner_id, Customer.department_id,
                                          Customer.confidentiality)).all()
    ids = {"contract": _next_id(Contract), "line": _next_id(ContractLine),
           "term": _next_id(PaymentTerm), "payment": _next_id(Payment)}
    today = date.today()
    tables = {"contract": [], "line": [], "term": [], "payment": []}
    for _ in range(count):
        _one_contract(rng, rng.choice(customers), ids, tables, today)
        if len(tables["contract"]) >= BATCH:
            _flush(tables)
    _flush(tables)
    _fix_sequences()
    db.session.commit()
    return time.perf_counter() - started


def _one_contract(rng, customer, ids, tables, today) -> None:
    """One contract's rows appended to `tables`, ids taken from `ids`."""
    customer_id, owner_id, department_id, level = customer
    contract_id = ids["contract"]
    ids["contract"] += 1
    signed = today - timedelta(days=rng.randrange(720))
    product, spec = rng.choice(PRODUCTS)
    quantity = Decimal(rng.randrange(1, 50))
    price = Decimal(rng.randrange(1000, 500000)) / 100
    total = quantity * price
    now = utcnow()
    status = rng.choices([s for s, _w in STATUSES], weights=[w for _s, w in STATUSES])[0]
    tables["contract"].append({
        "id": contract_id, "number": f"HT-B-{contract_id:07d}", "name": f"{product}采购合同",
        "customer_id": customer_id, "kind": ContractKind.SALES, "sign_date": signed,
        "status": status, "total_amount": total, "created_by_id": owner_id, "version": 1,
        "owner_id": owner_id, "department_id": department_id, "confidentiality": level,
        "has_penalty": False, "sample_sealed": False, "created_at": now, "updated_at": now})
    tables["line"].append({"id": ids["line"], "contract_id": contract_id, "position": 1,
                           "product": product, "spec": spec, "unit": "台",
                           "quantity": quantity, "unit_price": price, "amount": total})
    ids["line"] += 1
    _terms(rng, ids, tables, contract_id, total, signed, status, today, customer, now)


def _terms(rng, ids, tables, contract_id, total, signed, status, today, customer, now) -> None:
    """预付款 30% (due in 15 days), 验收款 60% (in 2–8 months), 质保金 10% (after a year)."""
    advance = (total * Decimal("0.3")).quantize(Decimal("0.01"))
    retention = (total * Decimal("0.1")).quantize(Decimal("0.01"))
    for kind, amount, due in ((TermKind.ADVANCE, advance, signed + timedelta(days=15)),
                              (TermKind.ACCEPTANCE, total - advance - retention,
                               signed + timedelta(days=rng.randrange(60, 240))),
                              (TermKind.RETENTION, retention, signed + timedelta(days=380))):
        paid = (_payments(rng, ids, tables, contract_id, amount, due, today, customer, now)
                if status in (ContractStatus.ACTIVE, ContractStatus.CLOSED) else Decimal("0"))
        # Core inserts bypass the ORM flush that keeps paid_total: it is set here, from the
        # payments just generated for the term.
        tables["term"].append({"id": ids["term"], "contract_id": contract_id, "kind": kind,
                               "amount": amount, "due_date": due, "paid_total": paid})
        ids["term"] += 1


def _payments(rng, ids, tables, contract_id, amount, due, today, customer, now) -> Decimal:
    """Most terms due are paid in full, some in part, some not at all; a few paid early; the
    sum paid."""
    roll = rng.random()
    if due >= today:
        parts = [amount] if roll < 0.15 else []
    else:
        parts = ([amount] if roll < 0.6 else
                 [(amount / 2).quantize(Decimal("0.01"))] if roll < 0.8 else [])
    for part in parts:
        tables["payment"].append({
            "id": ids["payment"], "contract_id": contract_id, "term_id": ids["term"],
            "paid_on": min(today, due + timedelta(days=rng.randrange(-10, 40))),
            "amount": part, "method": "bank_transfer", "recorded_by_id": customer[1],
            "owner_id": customer[1], "department_id": customer[2],
            "confidentiality": customer[3], "created_at": now, "updated_at": now})
        ids["payment"] += 1
    return sum(parts, Decimal("0"))


def _flush(tables: dict) -> None:
    for key, model in (("contract", Contract), ("line", ContractLine), ("term", PaymentTerm),
                       ("payment", Payment)):
        if tables[key]:
            db.session.execute(insert(model.__table__), tables[key])
            tables[key].clear()


def _fix_sequences() -> None:
    """PostgreSQL: the id sequences continue after the explicit ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("contracts", "contract_lines", "payment_terms", "payments"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (fixed names)
                                f"(SELECT max(id) FROM {table}))"))


def analyze() -> None:
    """PostgreSQL: VACUUM ANALYZE the new rows, as autovacuum would."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("contracts", "payment_terms", "payments", "customers"):
            conn.execute(text(f"VACUUM ANALYZE {table}"))
