"""`python -m bench.service`: the customer service department at scale (issue 12, req. 14):
1,000,000 service records and about 3,000,000 follow-ups over 200,000 customers and 30 客服
people, on SQLite and PostgreSQL; p50/p95 server time of the records list (filters, search,
a later page) and of the statistics page, signed in as the 客服 manager (cs_mgr, who sees all
of 客服部's records), with the CPU time of the benchmark process beside the wall time.

Requests go through the Flask test client in-process, interleaved in rounds after a warm-up
(as bench.receivables); a case stops once 3 of its requests are over target (its p95 of 50 is
then over target, and a page of seconds would hold the run for an hour), so `n` says how many
were timed. Targets: the list p95 <= 100 ms, the statistics p95 <= 300 ms. For a case over its
target (or every case with BENCH_EXPLAIN=1) the slowest SQL statement of one
request is shown with its plan (EXPLAIN QUERY PLAN; EXPLAIN ANALYZE on PostgreSQL).

The SQLite file (instance/bench_service_<records>.db) is kept between runs and migrated in
place; the PostgreSQL database (taizhang_bench_service on the local server, skipped loudly when
none answers) is generated with COPY each run and dropped at the end (BENCH_SERVICE_KEEP_PG=1
keeps it for the next run). With BENCH_SERVICE_SLA=1 the SLA recompute benchmark
(bench.service_sla) runs afterwards.

Environment: BENCH_SERVICE_RECORDS (default 1000000), BENCH_CUSTOMERS (default 200000),
BENCH_ITERATIONS (default 50), BENCH_BACKENDS (default "sqlite,postgresql"),
BENCH_PG_SERVER_URL.
"""

import gc
import math
import multiprocessing
import os
import statistics
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from app.extensions import db
from app.models import Customer, User
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import ServicePart, ServiceRecord
from app.services.core import maintenance
from bench import service_data
from bench.database import PG_SERVER_URL, ROOT, bench_app, prepare
from bench.measure import percentile, signed_in_client

PG_DATABASE = "taizhang_bench_service"
LIST_TARGET_MS, STATISTICS_TARGET_MS = 100.0, 300.0
WARMUP = 2
MANAGER = "cs_mgr"
RESULTS = Path(__file__).resolve().parent / "results" / "service.txt"
HEADER = (f"{'backend':<11} {'case':<44} {'p50 ms':>7} {'p95 ms':>7} {'CPU p50':>8} "
          f"{'CPU p95':>8} {'n':>4}  target (p95)")


def sqlite_path(records: int) -> Path:
    """The benchmark's own SQLite file for this scale (kept between runs)."""
    return ROOT / "instance" / f"bench_service_{records}.db"


def _server():
    return create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT",
                         connect_args={"connect_timeout": 3})


def postgres_url() -> str | None:
    """A fresh taizhang_bench_service (or the kept one), or None when no server answers."""
    server = _server()
    try:
        with server.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": PG_DATABASE})
            if exists and not os.environ.get("BENCH_SERVICE_KEEP_PG"):
                conn.execute(text(f'DROP DATABASE "{PG_DATABASE}" WITH (FORCE)'))
                exists = False
            if not exists:
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


def drop_postgres() -> None:
    """Drops the benchmark's PostgreSQL database (unless asked to keep it)."""
    if os.environ.get("BENCH_SERVICE_KEEP_PG"):
        return
    server = _server()
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
    server.dispose()


def fill(app: Flask, records: int, customers: int) -> str:
    """Migrates, adds people and customers, generates the service ledger unless it is there
    already at this scale; a line saying what the database holds."""
    with app.app_context():
        _total, customer_seconds = prepare(app, customers)
        note = f"customers generated in {customer_seconds:.0f} s, " if customer_seconds else ""
        existing = service_data.record_count()
        if existing not in (0, records):  # an earlier run stopped halfway
            print(f".. {existing} records from an unfinished run: deleted", flush=True)
            for table in ("service_follow_ups", "service_parts", "service_records"):
                db.session.execute(text(f"DELETE FROM {table}"))  # noqa: S608 (fixed names)
            db.session.commit()
            existing = 0
        if existing == 0:
            print(f".. generating {records} records and their follow-ups", flush=True)
            started = time.perf_counter()
            service_data.add_records(records)
            db.session.commit()
            loaded = time.perf_counter() - started
            rebuilt = service_data.after_load()
            note += (f"service ledger generated in {loaded:.0f} s, statistics days rebuilt "
                     f"in {rebuilt:.0f} s (+{time.perf_counter() - started - loaded - rebuilt:.0f}"
                     " s VACUUM ANALYZE / ANALYZE)")
        else:
            # The migrations may have added indexes since: their statistics, as nightly.
            maintenance.refresh_planner_statistics()
            note += "service ledger reused from an earlier run"
        counts = [db.session.scalar(select(func.count()).select_from(model)) for model in
                  (Customer, ServiceRecord, ServiceFollowUp, ServicePart)]
        open_count = db.session.scalar(select(func.count()).select_from(ServiceRecord).where(
            ServiceRecord.status.in_(service_data.OPEN)))
        db.session.remove()
    return (f"{counts[0]} customers, {counts[1]} records ({open_count} open), {counts[2]} "
            f"follow-ups, {counts[3]} parts; {note}")


def _pad(label: str, width: int) -> str:
    """`label` padded to `width` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in label)
    return label + " " * max(0, width - used)


def _url(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def cases(app: Flask) -> list[tuple[str, str, float]]:
    """(case, URL, target ms) of every measured request, with values read from the data: a
    busy 客服 handler, a customer with records, a record number, cursors half-way down."""
    from app.services.core.pagination import _encode

    r = ServiceRecord
    with app.app_context():
        handler = db.session.scalar(select(User.id).where(User.username == "bench_cs_007"))
        number, customer_name, customer_id = db.session.execute(
            select(r.number, Customer.name, Customer.id)
            .join(Customer, Customer.id == r.customer_id).where(r.status == "processing")
            .order_by(r.id.desc()).limit(1)).one()
        total = db.session.scalar(select(func.max(r.id)))
        processing = db.session.scalar(
            select(r.id).where(r.status == "processing").order_by(r.id.desc())
            .offset(db.session.scalar(select(func.count()).where(r.status == "processing")) // 2)
            .limit(1))
        db.session.remove()
    deep, half_open = _encode(total // 2, total // 2), _encode(processing, processing)
    lists = "/service/records/"
    measured = [
        ("list: all, first page", _url(lists)),
        ("list: all, page at row ~50%", _url(lists, after=deep)),
        ("list: 待处理", _url(lists, status="pending")),
        ("list: 处理中", _url(lists, status="processing")),
        ("list: 处理中, page at ~50%", _url(lists, status="processing", after=half_open)),
        ("list: 等待配件", _url(lists, status="waiting_parts")),
        ("list: 处理中 + 优先级高", _url(lists, status="processing", priority="high")),
        ("list: 处理中 + SLA 已超时", _url(lists, status="processing", breached="y")),
        ("list: 处理中 + 负责人", _url(lists, status="processing", handler=handler)),
        ("list: 售后维护 + 重大", _url(lists, service_type="aftersales", major="y")),
        (f"list: q= 2 chars ({customer_name[:2]})", _url(lists, q=customer_name[:2])),
        ("list: q= customer name", _url(lists, q=customer_name)),
        ("list: q= record number", _url(lists, q=number)),
        ("list: 处理中 + q= 2 chars", _url(lists, status="processing", q=customer_name[:2])),
        ("list: one customer's records", _url(lists, customer_id=customer_id)),
        ("overdue follow-ups (open records)", _url("/service/follow-ups/")),
    ]
    year = time.localtime().tm_year
    stats = "/service/statistics/"
    return ([(case, url, LIST_TARGET_MS) for case, url in measured] +
            [(f"statistics {year}", _url(stats, year=year), STATISTICS_TARGET_MS),
             (f"statistics {year} Q4", _url(stats, year=year, quarter=4), STATISTICS_TARGET_MS),
             (f"statistics {year - 1}", _url(stats, year=year - 1), STATISTICS_TARGET_MS)])


def _timed_get(client, url: str) -> tuple[float, float]:
    """(wall ms, CPU ms of this process) of one GET, which must answer 200."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    response.get_data()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return wall * 1000, cpu * 1000


def time_requests(client, measured: list[tuple[str, str, float]], iterations: int) -> list:
    """(wall p50, wall p95, CPU p50, CPU p95, requests timed) of each case, in interleaved
    rounds (every case once per round, so that a burst of outside load spreads over all cases)
    after WARMUP untimed rounds. A case stops being timed once DECIDED of its requests are over
    its target: the p95 of `iterations` requests would then be over it whatever the rest take
    (a page of several seconds would otherwise hold the benchmark for an hour)."""
    for _ in range(WARMUP):
        for _case, url, _target in measured:
            _timed_get(client, url)
    gc.collect()
    walls: list[list[float]] = [[] for _ in measured]
    cpus: list[list[float]] = [[] for _ in measured]
    for _ in range(iterations):
        for i, (_case, url, target) in enumerate(measured):
            if sum(wall > target for wall in walls[i]) >= decided(iterations):
                continue
            wall, cpu = _timed_get(client, url)
            walls[i].append(wall)
            cpus[i].append(cpu)
    return [(statistics.median(wall), percentile(wall, 0.95), statistics.median(cpu),
             percentile(cpu, 0.95), len(wall)) for wall, cpu in zip(walls, cpus, strict=True)]


def decided(iterations: int) -> int:
    """How many requests over target make the nearest-rank p95 of `iterations` miss it."""
    return iterations - math.ceil(0.95 * iterations) + 1


def slowest_statements(app: Flask, client, url: str, keep: int = 2) -> list[tuple]:
    """The `keep` slowest (ms, SQL, parameters) of one GET of `url`."""
    sent: list = []
    with app.app_context():
        engine = db.engine

    def before(_conn, _cursor, statement, parameters, context, _many):
        context.bench_started = time.perf_counter()

    def after(_conn, _cursor, statement, parameters, context, _many):
        sent.append(((time.perf_counter() - context.bench_started) * 1000, statement,
                     parameters))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return sorted(sent, key=lambda item: -item[0])[:keep]


def explain(app: Flask, statement: str, parameters) -> list[str]:
    """The plan of one statement: EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on
    PostgreSQL."""
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(prefix + statement, parameters)
            rows = cursor.fetchall()
        finally:
            raw.close()
        db.session.remove()
    if postgres:
        return [row[0] for row in rows]
    return [f"{'  ' * _depth(rows, row)}{row[-1]}" for row in rows]


def _depth(rows: list, row) -> int:
    """The indentation of an EXPLAIN QUERY PLAN row (id, parent, notused, detail)."""
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent:
        depth, parent = depth + 1, parents.get(parent, 0)
    return depth


def _explained(app: Flask, client, case: str, url: str) -> list[str]:
    """The slowest statements of one request of a case, each with its plan."""
    lines = [f"   -- {case}: {url}"]
    for elapsed, statement, parameters in slowest_statements(app, client, url):
        lines.append(f"   {elapsed:.1f} ms: {' '.join(statement.split())[:1500]}")
        lines.append(f"   parameters: {parameters!r}"[:400])
        lines += [f"      {line}" for line in explain(app, statement, parameters)]
    return lines


def bench_backend(backend: str, url: str, records: int, customers: int,
                  iterations: int) -> tuple[list[str], list[str]]:
    """Prepares one backend and times every case as the 客服 manager: (table lines, EXPLAIN
    lines of the cases over target)."""
    app = bench_app(url)
    print(f".. {backend}: {fill(app, records, customers)}", flush=True)
    client = signed_in_client(app, MANAGER, app.config["DEMO_PASSWORD"])
    measured = cases(app)
    lines, plans = [], []
    figures = time_requests(client, measured, iterations)
    for (case, case_url, target), (p50, p95, cpu50, cpu95, count) in zip(measured, figures,
                                                                        strict=True):
        verdict = "MET" if p95 <= target else "MISSED"
        lines.append(f"{backend:<11} {_pad(case, 44)} {p50:>7.0f} {p95:>7.0f} {cpu50:>8.0f} "
                     f"{cpu95:>8.0f} {count:>4}  <= {target:.0f} ms {verdict}")
        print(lines[-1], flush=True)
        if verdict == "MISSED" or os.environ.get("BENCH_EXPLAIN"):
            plans += [f"{backend} {verdict}", *_explained(app, client, case, case_url)]
    return lines, plans


def main() -> int:
    """Runs each backend in a fresh interpreter, prints the table and the plans of the slow
    cases, and writes bench/results/service.txt."""
    records = int(os.environ.get("BENCH_SERVICE_RECORDS", "1000000"))
    customers = int(os.environ.get("BENCH_CUSTOMERS", "200000"))
    iterations = int(os.environ.get("BENCH_ITERATIONS", "50"))
    wanted = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    lines, plans, notes = [], [], []
    print(HEADER, flush=True)
    for backend in ("sqlite", "postgresql"):
        if backend not in wanted:
            continue
        url = (f"sqlite:///{sqlite_path(records)}" if backend == "sqlite" else postgres_url())
        if url is None:
            notes.append(f"SKIPPED: {backend} (no server answered)")
            continue
        try:
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                measured, explained = pool.apply(
                    bench_backend, (backend, url, records, customers, iterations))
        finally:
            if backend == "postgresql":
                drop_postgres()
        lines += measured
        plans += explained
    missed = [line for line in lines if line.endswith("MISSED")]
    report = "\n".join([
        f"customer service at {records} records, {customers} customers: server time "
        f"in-process as {MANAGER}, {iterations} requests per case after {WARMUP} warm-up "
        f"rounds; {os.cpu_count()} CPUs, load at start {load}", HEADER, *lines,
        f"{len(missed)} of {len(lines)} cases over target" if missed
        else f"all {len(lines)} cases within target", *notes, *plans]) + "\n"
    print("\n" + report, end="")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(f"(also written to {RESULTS})")
    if os.environ.get("BENCH_SERVICE_SLA"):
        from bench import service_sla
        service_sla.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
