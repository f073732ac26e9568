"""PDF benchmark: `python -m bench.pdf`. Time and size of the printed 客户资料管理表 and
销售合同评审表, and the peer comparison on the same HTML (bench/pdf_peers.py).

Measures the whole route GET /customers/<id>/print.pdf through the Flask test client in one warm
process (policy check, queries, rendering, the audit row and its commit), for an approved 内部
customer and a 秘密 one (with the watermark), then 100 different customers printed in a row;
then GET /sales/contracts/<id>/review.pdf of the demo data's in-force 秘密 contract with the most
signatures, as the sales manager (a demo database of its own, instance/bench_pdf_demo.db, or a
copy of BENCH_DEMO_DB). A scratch SQLite database (instance/bench_pdf.db) is rebuilt by the
migrations on every run. The CPU column is this process's CPU time: on a busy machine it stays
near the wall time, and a gap between them is time spent waiting for a CPU.
Environment: BENCH_PDF_ITERATIONS (default 50), BENCH_PDF_PEERS=0 skips the peers.
Target: median <= 80 ms, <= 80 KB, one page.
"""

import io
import os
import statistics
import sys
import time

from flask_migrate import upgrade
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app import create_app
from app.config import Config
from app.extensions import db
from app.models import (
    ApprovalRequest,
    Contract,
    ContractStatus,
    CustomerKind,
    CustomerType,
    Decision,
    Department,
    DeptCode,
    Grade,
    Industry,
    Level,
    Role,
    Signature,
    Source,
    User,
)
from app.services.approvals import engine as approvals
from app.services.customers import operations as customers
from app.services.customers.review import REVIEW_FLOW
from bench import pdf_peers, throughput
from bench.database import MIGRATIONS, ROOT
from bench.measure import signed_in_client

DATABASE = ROOT / "instance" / "bench_pdf.db"
# Its own copy of the demo database: bench.throughput may be serving from its own meanwhile.
DEMO_DATABASE = ROOT / "instance" / "bench_pdf_demo.db"
PASSWORD = "bench-pdf-password"
TARGET_MS, TARGET_KB = 80.0, 80.0
WARMUP, IN_A_ROW = 5, 100


def scratch_app():
    """The application on a freshly migrated scratch database."""
    for suffix in ("", "-wal", "-shm"):
        DATABASE.with_name(DATABASE.name + suffix).unlink(missing_ok=True)
    app = create_app(Config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{DATABASE}")
    with app.app_context():
        upgrade(directory=MIGRATIONS)
    return app


def _user(username: str, full_name: str, employee_no: str, role: Role) -> User:
    sales = db.session.query(Department).filter_by(code=DeptCode.SALES).one()
    user = User(username=username, full_name=full_name, employee_no=employee_no,
                password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1"),
                department=sales, role=role,
                clearance=Level.CONFIDENTIAL)
    db.session.add(user)
    return user


def approved_customer(staff: User, manager: User, name: str, level: Level) -> int:
    """A realistic customer, submitted by its salesperson and approved by the manager."""
    data = customers.CustomerData(
        name=name, kind=CustomerKind.UNIT, contact_name="王经理", phone="13912345678",
        email="contact@example.com", address="北京市朝阳区建国路88号现代城5号楼1201室",
        industry=Industry.TECH, type=CustomerType.DEAL, grade=Grade.A, source=Source.EXPO,
        first_contact_date=None, confidentiality=level, id_number=None,
        remarks="年度框架协议客户，每季度回访一次。", owner_id=staff.id)
    customer = customers.create_customer(data, staff)
    request = approvals.submit(REVIEW_FLOW, customer, staff)
    approvals.sign(request, manager, Decision.APPROVE, "资料齐全，同意。", PASSWORD)
    db.session.commit()
    return customer.id


def prepare(app) -> tuple[dict[str, int], list[int]]:
    """Users, the two measured customers ({case: id}) and IN_A_ROW more for the batch."""
    with app.app_context():
        staff = _user("bench_pdf_sales", "李晓明", "B1001", Role.STAFF)
        manager = _user("bench_pdf_mgr", "王建国", "B2001", Role.MANAGER)
        db.session.commit()
        cases = {
            "内部 customer": approved_customer(staff, manager, "华信科技发展有限公司",
                                              Level.INTERNAL),
            "秘密 customer + watermark": approved_customer(staff, manager, "东方精密仪器有限公司",
                                                         Level.SECRET),
        }
        batch = [approved_customer(staff, manager, f"批量打印测试{n:03d}号有限公司", Level.INTERNAL)
                 for n in range(IN_A_ROW)]
        db.session.remove()
    return cases, batch


def _print(client, url: str) -> tuple[float, float, bytes]:
    """One print: wall ms, this process's CPU ms (other load on the machine shows as the gap)."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    if response.status_code != 200 or response.mimetype != "application/pdf":
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return elapsed, cpu_ms, response.data


def measure(client, url: str, iterations: int, one_page: bool = True) -> str:
    """One result line: median/p95/min ms, median CPU ms, median/max KB and pages (a customer
    sheet must fit one page; a contract's pages depend on its lines and signatures)."""
    for _ in range(WARMUP):
        _print(client, url)
    runs = [_print(client, url) for _ in range(iterations)]
    times = sorted(run[0] for run in runs)
    sizes = [len(run[2]) / 1024 for run in runs]
    pages = len(PdfReader(io.BytesIO(runs[0][2])).pages)
    median, p95 = statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]
    cpu = statistics.median(run[1] for run in runs)
    verdict = ("ok" if median <= TARGET_MS and max(sizes) <= TARGET_KB
               and (pages == 1 or not one_page) else "MISSED")
    return (f"{median:8.1f} {p95:8.1f} {times[0]:8.1f} {cpu:8.1f} "
            f"{statistics.median(sizes):8.1f} {max(sizes):7.1f} {pages:5d}  {verdict}")


def in_a_row(client, customer_ids: list[int]) -> float:
    """Seconds to print each of the batch's customers once, one after the other."""
    started = time.perf_counter()
    for customer_id in customer_ids:
        _print(client, f"/customers/{customer_id}/print.pdf")
    return time.perf_counter() - started


def contract_case() -> tuple[object, str]:
    """(client signed in as the sales manager, URL) of the review sheet of the demo data's
    in-force 秘密 contract with the most signatures (the watermark and a signature block)."""
    database = throughput.demo_database(DEMO_DATABASE)
    app = create_app(Config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    with app.app_context():
        contract_id = db.session.scalar(
            select(Contract.id)
            .join(ApprovalRequest, (ApprovalRequest.record_type == "Contract")
                  & (ApprovalRequest.record_id == Contract.id))
            .join(Signature, Signature.request_id == ApprovalRequest.id)
            .where(Contract.status == ContractStatus.ACTIVE,
                   Contract.confidentiality == Level.SECRET)
            .group_by(Contract.id).order_by(func.count(Signature.id).desc(), Contract.id))
        db.session.remove()
    client = signed_in_client(app, "sales_mgr", app.config["DEMO_PASSWORD"])
    return client, f"/sales/contracts/{contract_id}/review.pdf"


def main() -> int:
    """Prints the table; returns 1 when a target is missed."""
    iterations = int(os.environ.get("BENCH_PDF_ITERATIONS", "50"))
    app = scratch_app()
    cases, batch = prepare(app)
    client = signed_in_client(app, "bench_pdf_sales", PASSWORD)
    urls = {name: (client, f"/customers/{cid}/print.pdf") for name, cid in cases.items()}
    urls["合同评审表 秘密 + watermark"] = contract_case()
    print(f"taizhang PDF bench: GET /customers/<id>/print.pdf and /sales/contracts/<id>/review.pdf "
          f"via the test client, warm process, {iterations} prints per case after {WARMUP} "
          f"warm-up; target median <= {TARGET_MS:.0f} ms and <= {TARGET_KB:.0f} KB, one page; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'case':<28} {'med ms':>8} {'p95 ms':>8} {'min ms':>8} {'cpu ms':>8} {'med KB':>8} "
          f"{'max KB':>7} {'pages':>5}")
    lines = []
    for name, (case_client, url) in urls.items():
        one_page = "customer" in name
        lines.append(f"{name:<28} {measure(case_client, url, iterations, one_page)}")
        print(lines[-1], flush=True)
    seconds = in_a_row(client, batch)
    print(f"{len(batch)} PDFs in a row ({len(batch)} different approved 内部 customers): "
          f"{seconds:.2f} s ({seconds * 1000 / len(batch):.1f} ms each)")
    if os.environ.get("BENCH_PDF_PEERS", "1") != "0":
        with pdf_peers.captured_html() as pages:
            for case_client, url in urls.values():
                case_client.get(url)
        pdf_peers.compare(dict(zip(urls, pages, strict=True)), max(5, iterations // 5))
    return 1 if any(line.endswith("MISSED") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
