"""`python -m bench.service_statistics`: the statistics page for a year (issue 12 req. 14: p95
<= 300 ms at 1,000,000 service records and 3,000,000 follow-ups, on SQLite and PostgreSQL),
signed in as the GM (every record, read from the per-day summary) and as the 客服 manager
(their department from the summary, the rest of their scope live), and, for comparison, as a
客服 staff member (their own records, counted live: not a target). Also timed: rebuilding
the summary from scratch (`flask service statistics-rebuild`) and recomputing one day (what a
commit that touched that day adds).

The ledger comes from bench.service's generator (bench/service_data.py: records over four
years up to today, about three follow-ups each); the year measured is last year (twelve full
months, about a quarter of the records) and this year. The SQLite file is
instance/bench_statsum_<records>.db (copied from bench.service's file of the same scale when
that exists, else generated), the PostgreSQL database taizhang_bench_statsum (generated with
COPY, dropped at the end unless BENCH_STATSUM_KEEP_PG=1).

Environment: BENCH_STATSUM_RECORDS (default 1000000), BENCH_CUSTOMERS (default 200000),
BENCH_ITERATIONS (default 30), BENCH_BACKENDS (default "sqlite,postgresql").
"""

import multiprocessing
import os
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app.extensions import db
from app.models.service.records import ServiceRecord
from app.models.service.statistics import ServiceStatisticsDay
from app.services.service.statistics import days
from bench import service
from bench.database import PG_SERVER_URL, ROOT, STAFF_PASSWORD, bench_app, enable_staff_login
from bench.measure import signed_in_client

PG_DATABASE = "taizhang_bench_statsum"
TARGET_MS = 300.0
READERS = (("gm", True), ("cs_mgr", True), ("bench_cs_007", False))  # (user, has a target)
RESULTS = Path(__file__).resolve().parent / "results" / "service_statistics.txt"
HEADER = (f"{'backend':<11} {'reader':<13} {'case':<22} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'CPU p95':>8} {'n':>4}  target (p95)")


def sqlite_path(records: int) -> Path:
    """This benchmark's SQLite file, a copy of bench.service's when there is one to copy."""
    path = ROOT / "instance" / f"bench_statsum_{records}.db"
    source = service.sqlite_path(records)
    if not path.exists() and source.exists():
        print(f".. copying {source.name} (online backup)", flush=True)
        with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
            src.backup(dst)
    return path


def postgres_url() -> str | None:
    """A fresh taizhang_bench_statsum (or the kept one), or None when no server answers."""
    server = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT",
                           connect_args={"connect_timeout": 3})
    try:
        with server.connect() as conn:
            found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                {"name": PG_DATABASE})
            if found and not os.environ.get("BENCH_STATSUM_KEEP_PG"):
                conn.execute(text(f'DROP DATABASE "{PG_DATABASE}" WITH (FORCE)'))
                found = None
            if not found:
                conn.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
    except Exception as error:  # noqa: BLE001 (any failure to connect means: skip PostgreSQL)
        print(f"## POSTGRESQL SKIPPED: {str(getattr(error, 'orig', error)).splitlines()[0]}",
              flush=True)
        return None
    finally:
        server.dispose()
    return make_url(PG_SERVER_URL).set(database=PG_DATABASE).render_as_string(
        hide_password=False)


def drop_postgres() -> None:
    if os.environ.get("BENCH_STATSUM_KEEP_PG"):
        return
    server = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
    server.dispose()


def summary_checked(app: Flask) -> str:
    """Rebuilds the summary from scratch (timed), and checks it counts every record."""
    with app.app_context():
        started = time.perf_counter()
        spanned = days.rebuild(db.session)
        db.session.commit()
        rebuilt = time.perf_counter() - started
        counted = db.session.scalar(select(func.sum(ServiceStatisticsDay.records)).where(
            ServiceStatisticsDay.monthly.is_(False)))
        records = db.session.scalar(select(func.count()).select_from(ServiceRecord))
        rows = db.session.scalar(select(func.count()).select_from(ServiceStatisticsDay))
        started = time.perf_counter()
        middle = date(date.today().year - 1, 6, 15)
        days.marks(db.session).days.add(middle)
        days.settle(db.session)
        db.session.commit()
        one_day = (time.perf_counter() - started) * 1000
        db.session.remove()
    if counted != records:
        raise RuntimeError(f"the summary counts {counted} records of {records}")
    return (f"summary rebuilt from scratch in {rebuilt:.1f} s ({spanned} days, {rows} rows, "
            f"{counted} records counted); one day recomputed and committed in {one_day:.0f} ms")


def bench_backend(backend: str, url: str, records: int, customers: int,
                  iterations: int) -> list[str]:
    """Prepares one backend and times the year pages of every reader: the table's lines."""
    app = bench_app(url)
    print(f".. {backend}: {service.fill(app, records, customers)}", flush=True)
    lines = [f".. {backend}: {summary_checked(app)}"]
    print(lines[0], flush=True)
    year = date.today().year
    for username, targeted in READERS:
        if username.startswith("bench_"):
            enable_staff_login(app, username)
            client = signed_in_client(app, username, STAFF_PASSWORD)
        else:
            client = signed_in_client(app, username, app.config["DEMO_PASSWORD"])
        target = TARGET_MS if targeted else float("inf")
        measured = [(f"year {y}", f"/service/statistics/?year={y}", target)
                    for y in (year - 1, year)]
        timed = service.time_requests(client, measured, iterations)
        for (case, _url, _target), (p50, p95, _cpu50, cpu95, count) in zip(measured, timed,
                                                                          strict=True):
            verdict = ("MET" if p95 <= TARGET_MS else "MISSED") if targeted else "(no target)"
            lines.append(f"{backend:<11} {username:<13} {case:<22} {p50:>7.0f} {p95:>7.0f} "
                         f"{cpu95:>8.0f} {count:>4}  <= {TARGET_MS:.0f} ms {verdict}")
            print(lines[-1], flush=True)
    return lines


def main() -> int:
    """Each backend in a fresh interpreter; prints the table and writes it to RESULTS."""
    records = int(os.environ.get("BENCH_STATSUM_RECORDS", "1000000"))
    customers = int(os.environ.get("BENCH_CUSTOMERS", "200000"))
    iterations = int(os.environ.get("BENCH_ITERATIONS", "30"))
    wanted = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    lines, notes = [], []
    print(HEADER, flush=True)
    for backend in ("sqlite", "postgresql"):
        if backend not in wanted:
            continue
        url = f"sqlite:///{sqlite_path(records)}" if backend == "sqlite" else postgres_url()
        if url is None:
            notes.append(f"SKIPPED: {backend} (no server answered)")
            continue
        try:
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                lines += pool.apply(bench_backend, (backend, url, records, customers,
                                                    iterations))
        finally:
            if backend == "postgresql":
                drop_postgres()
    missed = [line for line in lines if line.endswith("MISSED")]
    report = "\n".join([
        f"service statistics at {records} records, {customers} customers: the year page's "
        f"server time in-process, {iterations} requests per case; {os.cpu_count()} CPUs, load "
        f"at start {load}", HEADER, *lines,
        f"{len(missed)} targeted cases over {TARGET_MS:.0f} ms" if missed
        else "every targeted case within target", *notes]) + "\n"
    print("\n" + report, end="")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
