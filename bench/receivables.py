"""`python -m bench.receivables`: p50/p95 server time of the receivables aging page
(GET /sales/receivables/) over 50,000 contracts, on SQLite and PostgreSQL, each as the first
visit after a change (the terms summed again: the target's case) and as a visit that finds the
page kept (see MODES), with the CPU time
of the benchmark process per request beside it (time.process_time around each request): on a
busy machine the wall time includes waiting for a core, the CPU time does not.

The databases are the benchmark's own (instance/bench_receivables.db and
taizhang_bench_receivables on the local PostgreSQL server, skipped loudly when none answers);
generated contracts, terms and payments are kept between runs and only topped up. Requests go
through the Flask test client in-process, signed in as the sales manager and as the GM (both
see every contract), interleaved in rounds after a warm-up. With BENCH_EXPLAIN=1 the query
plan of the aging query is printed too.

Environment: BENCH_CONTRACTS (default 50000), BENCH_CUSTOMERS (default 10000),
BENCH_ITERATIONS (default 50), BENCH_BACKENDS (default "sqlite,postgresql"),
BENCH_PG_SERVER_URL. Target: p95 <= 200 ms.
"""

import functools
import gc
import itertools
import multiprocessing
import os
import statistics
import sys
import time

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from app import create_app
from app.config import Config
from app.extensions import db
from app.models import Contract, PaymentTerm, User
from app.models.data_versions import DataVersion
from app.policy import scope
from app.services.sales.ledger import receivables
from app.timeutil import local_today
from bench import receivables_data
from bench.database import MIGRATIONS, PG_SERVER_URL, ROOT, STAFF_PASSWORD
from bench.measure import percentile, signed_in_client

SQLITE_PATH = ROOT / "instance" / "bench_receivables.db"
PG_DATABASE = "taizhang_bench_receivables"
TARGET_MS = 200.0
WARMUP = 5
STAFF = "bench_sales_007"
CASES = (("aging per customer", "/sales/receivables/"),
         ("aging per salesperson", "/sales/receivables/?view=salesperson"))
# A page of the aging is kept until a contract, term or payment changes (data_versions):
# "after a change" moves the version on before each GET (untimed), as a payment's commit
# does, so that the page sums the terms again; "kept" is a visit with nothing changed.
MODES = ("after a change", "kept")
HEADER = (f"{'backend':<11} {'user':<22} {'case':<40} {'p50 ms':>7} {'p95 ms':>7}"
          f" {'CPU p50':>8} {'CPU p95':>8}")


def postgres_url() -> str | None:
    """The benchmark database on the local server (created when missing), or None."""
    server = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT",
                           connect_args={"connect_timeout": 3})
    try:
        with server.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                               {"name": PG_DATABASE}):
                conn.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
    except Exception as error:  # noqa: BLE001 (any failure to connect means: skip PostgreSQL)
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        print("#" * 72 + f"\n## POSTGRESQL SKIPPED: no server answers at {PG_SERVER_URL}\n"
              f"## ({reason})\n## PostgreSQL is not measured.\n" + "#" * 72, flush=True)
        return None
    finally:
        server.dispose()
    return make_url(PG_SERVER_URL).set(database=PG_DATABASE).render_as_string(
        hide_password=False)


def prepare(app: Flask, contracts: int, customers: int) -> str:
    """Migrates, tops up people and contracts; a line saying what the database holds."""
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        receivables_data.ensure_people(app.config["DEMO_PASSWORD"], customers)
        existing = db.session.scalar(select(func.count()).select_from(Contract))
        note = "reused from an earlier run"
        if existing < contracts:
            print(f".. generating {contracts - existing} contracts ({existing} exist)", flush=True)
            seconds = receivables_data.add_contracts(contracts - existing)
            receivables_data.analyze()
            note = f"generated now in {seconds:.0f} s"
        staff = db.session.scalar(select(User).where(User.username == STAFF))
        staff.password_hash = generate_password_hash(STAFF_PASSWORD)
        db.session.commit()
        terms = db.session.scalar(select(func.count()).select_from(PaymentTerm))
        total = db.session.scalar(select(func.count()).select_from(Contract))
        db.session.remove()
    return f"{total} contracts, {terms} terms, {note}"


def explain(app: Flask) -> None:
    """Prints the plan of the GM's aging query (EXPLAIN ANALYZE on PostgreSQL)."""
    with app.app_context():
        gm = db.session.scalar(select(User).where(User.username == "gm"))
        query = receivables.aging_select(scope(select(Contract), gm, Contract), "customer",
                                         local_today())
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
        prefix = ("EXPLAIN (ANALYZE, BUFFERS) " if db.engine.dialect.name == "postgresql"
                  else "EXPLAIN QUERY PLAN ")
        for row in db.session.execute(text(prefix + sql)):
            print("   ", " | ".join(str(v) for v in row), flush=True)
        db.session.remove()


def _timed_get(client, url: str, changed) -> tuple[float, float]:
    """(wall ms, CPU ms of this process) of one GET, which must answer 200, after `changed`
    (untimed, when given)."""
    if changed:
        changed()
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    response.get_data()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return wall * 1000, cpu * 1000


def time_requests(requests: list, iterations: int) -> list[tuple[float, float, float, float]]:
    """(wall p50, wall p95, CPU p50, CPU p95) of each GET, in interleaved rounds (every
    request once per round, so that a burst of outside load spreads over all cases) after
    WARMUP untimed rounds."""
    for _ in range(WARMUP):
        for client, url, changed in requests:
            _timed_get(client, url, changed)
    gc.collect()
    walls: list[list[float]] = [[] for _ in requests]
    cpus: list[list[float]] = [[] for _ in requests]
    for _ in range(iterations):
        for i, (client, url, changed) in enumerate(requests):
            wall, cpu = _timed_get(client, url, changed)
            walls[i].append(wall)
            cpus[i].append(cpu)
    return [(statistics.median(wall), percentile(wall, 0.95), statistics.median(cpu),
             percentile(cpu, 0.95)) for wall, cpu in zip(walls, cpus, strict=True)]


def _change(app: Flask) -> None:
    """What a commit that writes a contract, term or payment does to the kept aging: moves
    its version on."""
    with app.app_context():
        db.session.execute(update(DataVersion).where(DataVersion.name == receivables.VERSION)
                           .values(version=DataVersion.version + 1))
        db.session.commit()
        db.session.remove()


def bench_backend(backend: str, url: str, contracts: int, customers: int,
                  iterations: int) -> list[str]:
    """Prepares one backend and times each case for each user; the table's lines."""
    app = create_app(Config, SQLALCHEMY_DATABASE_URI=url)
    print(f".. {backend}: {prepare(app, contracts, customers)}", flush=True)
    if os.environ.get("BENCH_EXPLAIN"):
        explain(app)
    users = (("manager sales_mgr", "sales_mgr", app.config["DEMO_PASSWORD"]),
             ("GM gm", "gm", app.config["DEMO_PASSWORD"]),
             (f"staff {STAFF}", STAFF, STAFF_PASSWORD))
    labels, requests = [], []
    for label, username, password in users:
        client = signed_in_client(app, username, password)
        for (case, case_url), mode in itertools.product(CASES, MODES):
            labels.append((label, f"{case}, {mode}"))
            requests.append((client, case_url,
                             functools.partial(_change, app) if mode == MODES[0] else None))
    lines = []
    for (label, case), (p50, p95, cpu50, cpu95) in zip(
            labels, time_requests(requests, iterations), strict=True):
        verdict = "" if p95 <= TARGET_MS else "  MISSED"
        lines.append(f"{backend:<11} {label:<22} {case:<40} {p50:>7.1f} {p95:>7.1f}"
                     f" {cpu50:>8.1f} {cpu95:>8.1f}{verdict}")
        print(lines[-1], flush=True)
    return lines


def main() -> int:
    """Runs each backend in a fresh interpreter and prints the table."""
    contracts = int(os.environ.get("BENCH_CONTRACTS", "50000"))
    customers = int(os.environ.get("BENCH_CUSTOMERS", "10000"))
    iterations = int(os.environ.get("BENCH_ITERATIONS", "50"))
    wanted = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    backends = [("sqlite", f"sqlite:///{SQLITE_PATH}")] if "sqlite" in wanted else []
    if "postgresql" in wanted:
        backends.append(("postgresql", postgres_url()))
    print(HEADER, flush=True)
    lines, notes = [], []
    for backend, url in backends:
        if url is None:
            notes.append(f"SKIPPED: {backend} (no server answered)")
            continue
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            lines += pool.apply(bench_backend, (backend, url, contracts, customers, iterations))
    missed = [line for line in lines if line.endswith("MISSED")]
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"\nreceivables aging, {iterations} requests per case after {WARMUP} warm-up, "
          f"target p95 <= {TARGET_MS:.0f} ms (wall); {os.cpu_count()} CPUs, load {load}\n"
          f"{HEADER}")
    print("\n".join([*lines, f"{len(missed)} of {len(lines)} cases over target" if missed
                     else f"all {len(lines)} cases within target", *notes]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
