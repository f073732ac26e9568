"""Archive filing benchmark: `python -m bench.archive_filing`. Files 1,000 signed records (approved
customer files and contracts) into the archive, each rendered as PDF/A-3b with its JSON and
signature chain attached, checked, sealed (PAdES), hashed (SHA-256, SM3), written with fsync
and committed with its 档号, in `BENCH_ARCHIVE_WORKERS` (default 2) warm processes, one per
series (customer files, contracts), each filing its records one after another as one batch
(filing.file_records, as the monthly filing does).

A SQLite database of its own (instance/bench_archive.db) holds the signed records, made before
the clock starts and kept for the next run (whose archive starts empty again); the archive
root and seal are the benchmark's own (instance/bench_archive/). Peak RSS is the largest of
the filing processes.
Environment: BENCH_ARCHIVE_RECORDS (default 1000; 100 for a quick look). Target: <= 60 s, peak
RSS <= 500 MB. On a shared machine compare the CPU time it prints: the wall time depends on
what else runs.
"""

import multiprocessing
import os
import resource
import shutil
import sys
import time
from datetime import date
from decimal import Decimal

from flask_migrate import upgrade
from sqlalchemy import delete, func, select
from werkzeug.security import generate_password_hash

from app import create_app
from app.config import Config
from app.extensions import db
from app.models import (
    Contract,
    ContractKind,
    Customer,
    CustomerKind,
    CustomerType,
    Decision,
    Department,
    DeptCode,
    Grade,
    Industry,
    Level,
    NumberCounter,
    Role,
    Source,
    TermKind,
    User,
)
from app.models.archive import ArchiveItem, ArchiveNumberVoid
from app.services.approvals import engine as approvals
from app.services.archive.filing import FILED, file_records
from app.services.archive.numbers import series_gaps
from app.services.archive.seal import current_seal
from app.services.customers import operations as customers
from app.services.customers.review import REVIEW_FLOW
from app.services.sales.contracts.data import ContractData, LineData, TermData
from app.services.sales.contracts.operations import create_contract
from app.services.sales.contracts.review import submit_review
from bench.database import MIGRATIONS, ROOT

DATABASE = ROOT / "instance" / "bench_archive.db"
STORE = ROOT / "instance" / "bench_archive"
PASSWORD = "bench-archive-password"  # noqa: S105 (benchmark database only)
TARGET_SECONDS, TARGET_MB = 60.0, 500.0


def bench_app(fresh: bool = False):
    """The application on the benchmark's database, archive root and seal (a fresh database
    when `fresh`)."""
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            DATABASE.with_name(DATABASE.name + suffix).unlink(missing_ok=True)
    return create_app(Config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{DATABASE}",
                      ARCHIVE_ROOT=str(STORE / "root"), ARCHIVE_SEAL_DIR=str(STORE / "seal"))


def _user(username: str, full_name: str, employee_no: str, role: Role, dept=DeptCode.SALES):
    department = db.session.query(Department).filter_by(code=dept).one()
    user = User(username=username, full_name=full_name, employee_no=employee_no,
                password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1"),
                department=department, role=role, clearance=Level.CONFIDENTIAL)
    db.session.add(user)
    return user


def _customer(staff: User, manager: User, n: int) -> int:
    data = customers.CustomerData(
        name=f"归档测试{n:04d}号科技有限公司", kind=CustomerKind.UNIT, contact_name="王经理",
        phone="13912345678", email="contact@example.com",
        address="北京市朝阳区建国路88号现代城5号楼1201室", industry=Industry.TECH,
        type=CustomerType.DEAL, grade=Grade.A, source=Source.EXPO, first_contact_date=None,
        confidentiality=Level.INTERNAL, id_number=None, remarks="年度框架协议客户。",
        owner_id=staff.id)
    customer = customers.create_customer(data, staff)
    request = approvals.submit(REVIEW_FLOW, customer, staff)
    approvals.sign(request, manager, Decision.APPROVE, "资料齐全，同意。", PASSWORD)
    db.session.commit()
    return customer.id


def _contract(staff: User, manager: User, customer_id: int, n: int) -> int:
    data = ContractData(
        name=f"服务器采购合同{n:04d}", customer_id=customer_id, kind=ContractKind.SALES,
        sign_date=date(2026, 3, 1), start_date=date(2026, 3, 1), end_date=date(2027, 2, 28),
        delivery_place="北京", copies=2, pages_per_copy=3,
        lines=[LineData("服务器", "X1", "台", Decimal("2"), Decimal("500.00"))],
        terms=[TermData(TermKind.ADVANCE, Decimal("1000.00"), date(2026, 3, 1))])
    contract = create_contract(data, staff)
    request = submit_review(contract, staff)
    approvals.sign(request, manager, Decision.APPROVE, "同意。", PASSWORD)
    db.session.commit()
    return contract.id


def prepare(app, count: int) -> list[tuple[str, int]]:
    """`count` signed records: customers, each with a signed contract."""
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        staff = _user("bench_archive_sales", "李晓明", "B1001", Role.STAFF)
        manager = _user("bench_archive_mgr", "王建国", "B2001", Role.MANAGER)
        _user("bench_archivist", "陈档案", "B3001", Role.ARCHIVIST, DeptCode.ARCHIVE)
        db.session.commit()
        records: list[tuple[str, int]] = []
        for n in range((count + 1) // 2):
            customer_id = _customer(staff, manager, n)
            records.append(("Customer", customer_id))
            if len(records) < count:
                records.append(("Contract", _contract(staff, manager, customer_id, n)))
        db.session.remove()
    return records


def kept_records(app, count: int) -> list[tuple[str, int]] | None:
    """The signed records of an earlier run, its archive emptied, if it has enough of them."""
    if not DATABASE.exists():
        return None
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        records = []
        for customer_id, contract_id in db.session.execute(
                select(Customer.id, Contract.id).join(Contract, Contract.customer_id == Customer.id)
                .where(Customer.name.startswith("归档测试")).order_by(Customer.id)):
            records += [("Customer", customer_id), ("Contract", contract_id)]
        if len(records) < count:
            return None
        db.session.execute(delete(ArchiveNumberVoid))
        db.session.execute(delete(ArchiveItem))
        db.session.execute(delete(NumberCounter).where(NumberCounter.key.startswith("DA:")))
        db.session.commit()
        db.session.remove()
    return records[:count]


def file_all(records: list[tuple[str, int]]) -> None:
    """Files the records in this (child) process, as the archivist; exits non-zero unless
    every one was filed."""
    app = bench_app()
    with app.app_context():
        archivist = db.session.scalar(select(User).where(User.username == "bench_archivist"))
        outcomes = file_records(records, archivist)
        db.session.remove()
    if any(outcome.status != FILED for outcome in outcomes):
        sys.exit(1)


def main() -> int:
    """Prints the figures; returns 1 when a target is missed."""
    count = int(os.environ.get("BENCH_ARCHIVE_RECORDS", "1000"))
    workers = max(1, int(os.environ.get("BENCH_ARCHIVE_WORKERS", "2")))
    app = bench_app()
    records = kept_records(app, count)
    if records is None:
        app = bench_app(fresh=True)
        records = prepare(app, count)
    shutil.rmtree(STORE / "root", ignore_errors=True)
    with app.app_context():  # the seal, generated once before the clock starts
        current_seal()
    by_series = {kind: [r for r in records if r[0] == kind] for kind in ("Customer", "Contract")}
    shares = [by_series["Customer"], by_series["Contract"]] if workers > 1 else [records]
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    processes = [context.Process(target=file_all, args=(share,)) for share in shares]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    with app.app_context():
        filed = db.session.scalar(select(func.count()).select_from(ArchiveItem))
        size = db.session.scalar(select(func.sum(ArchiveItem.size))) or 0
        gaps = series_gaps()
    ok = (seconds <= TARGET_SECONDS and peak_mb <= TARGET_MB and filed == len(records)
          and not gaps and all(p.exitcode == 0 for p in processes))
    kinds = {kind: len(share) for kind, share in by_series.items()}
    print(f"taizhang archive filing bench: {len(records)} signed records ({kinds['Customer']} "
          f"customer files, {kinds['Contract']} contracts), {len(shares)} process(es); "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"filed {filed} in {seconds:.1f} s ({seconds * 1000 / max(filed, 1):.1f} ms each), "
          f"peak RSS {peak_mb:.0f} MB, {size / max(filed, 1) / 1024:.0f} KB a copy, "
          f"numbering gaps: {len(gaps)}; target <= {TARGET_SECONDS:.0f} s and <= "
          f"{TARGET_MB:.0f} MB: {'MET' if ok else 'MISSED'}")
    # On a busy machine the wall time says little: the CPU time the filing took, spread over
    # the machine's CPUs, is what it would take alone.
    print(f"CPU time of the filing processes: {cpu:.1f} s ({cpu * 1000 / max(filed, 1):.1f} ms "
          f"a record; {cpu / min(len(shares), os.cpu_count() or 1):.1f} s over "
          f"{min(len(shares), os.cpu_count() or 1)} CPUs)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
