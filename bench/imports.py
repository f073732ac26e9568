"""`python -m bench.imports`: 100,000 customers imported from an .xlsx through the real pages
(the upload's dry run, then the job), then exported through /customers/export.xlsx, as the
sales manager, on SQLite (instance/bench_imports.db) and PostgreSQL (taizhang_bench_imports).

Targets: the import job <= 60 s, the export <= 30 s. Each backend runs in a fresh process so
its peak memory (ru_maxrss) is its own; the databases are recreated on every run.
Environment: BENCH_IMPORT_ROWS (default 100000), BENCH_BACKENDS (default "sqlite,postgresql"),
BENCH_PG_SERVER_URL (the PostgreSQL server).
"""

import io
import multiprocessing
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.database import MIGRATIONS, PG_SERVER_URL, ROOT
from bench.measure import signed_in_client

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
SQLITE_PATH = ROOT / "instance" / "bench_imports.db"
PG_DATABASE = "taizhang_bench_imports"
IMPORT_TARGET_S, EXPORT_TARGET_S = 60.0, 30.0
_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
_BATCH = re.compile(r"/sales/imports/(\d+)/start")
HEADERS = ["客户名称", "联系人", "联系电话", "所属行业", "客户类型", "客户等级", "客户来源",
           "首次接触时间", "备注", "客户性质", "电子邮箱", "地址", "密级", "身份证号"]


def workbook(rows: int) -> bytes:
    """`rows` generated customers (unique names) as an .xlsx with the template's headers,
    kept in instance/ between runs (generating it is slow)."""
    cached = ROOT / "instance" / f"bench_imports_{rows}.xlsx"
    if cached.exists():
        return cached.read_bytes()
    from app import create_app
    from app.config import Config
    from app.services.demo.synthetic import (
        fake_customer,
        past_date,
        pick_grade,
        pick_source,
        pick_type,
    )

    rng = random.Random(11)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("客户")
    sheet.append(HEADERS)
    with create_app(Config, SQLALCHEMY_DATABASE_URI="sqlite://").app_context():  # the labels
        for serial in range(1, rows + 1):
            fake = fake_customer(rng, serial)
            sheet.append([str(v) if v is not None else None for v in (
                fake.name, fake.contact_name, fake.phone, fake.industry.label,
                pick_type(rng).label, pick_grade(rng).label, pick_source(rng).label,
                past_date(rng).isoformat(), None, fake.kind.label, fake.email, fake.address,
                "内部", fake.id_number)])
    buffer = io.BytesIO()
    book.save(buffer)
    cached.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def _sqlite_url() -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{SQLITE_PATH}"


def _postgres_url() -> str | None:
    """taizhang_bench_imports, recreated empty; None (and a notice) if no server answers."""
    server = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT",
                           connect_args={"connect_timeout": 3})
    try:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
    except Exception as error:  # noqa: BLE001 (any failure to connect means: skip PostgreSQL)
        print(f"## POSTGRESQL SKIPPED: no server at {PG_SERVER_URL} ({error})", flush=True)
        return None
    finally:
        server.dispose()
    return make_url(PG_SERVER_URL).set(database=PG_DATABASE).render_as_string(
        hide_password=False)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(label: str, call):
    started = time.perf_counter()
    response = call()
    seconds = time.perf_counter() - started
    if response.status_code not in (200, 303):
        raise RuntimeError(f"{label} answered {response.status_code}")
    return response, seconds


def measure(backend: str, url: str, data: bytes) -> list[str]:
    """Dry run, job and export of one backend, as report lines."""
    from flask_migrate import upgrade

    from app import create_app, jobs
    from app.config import Config
    from app.extensions import db
    from app.models import ImportBatch
    from app.services.demo import loader as demo

    app = create_app(Config, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        demo.create_users(app.config["DEMO_PASSWORD"])
        db.session.commit()
    client = signed_in_client(app, "sales_mgr", app.config["DEMO_PASSWORD"])
    token = _CSRF.search(client.get("/sales/imports/").get_data(as_text=True)).group(1)
    form = {"ledger": "customers", "duplicate_rule": "skip", "csrf_token": token,
            "file": (io.BytesIO(data), "bench.xlsx")}
    page, dry = _timed("dry run", lambda: client.post("/sales/imports/", data=form))
    dry_peak = _peak_mb()
    batch = int(_BATCH.search(page.get_data(as_text=True)).group(1))
    jobs.huey.immediate = True  # the job runs inside the start request: its time is the job's
    _response, job = _timed("job", lambda: client.post(
        f"/sales/imports/{batch}/start", data={"duplicate_rule": "skip", "csrf_token": token}))
    job_peak = _peak_mb()
    with app.app_context():
        done = db.session.get(ImportBatch, batch)
        counts = (done.total_rows, done.created, done.skipped, done.failed, done.status.value)
    export, seconds = _timed("export", lambda: client.get("/customers/export.xlsx"))
    flag = {True: "", False: "  MISSED"}
    return [f"{backend:<11} dry run {dry:7.1f} s   peak RSS {dry_peak:7.0f} MB",
            f"{backend:<11} job     {job:7.1f} s   peak RSS {job_peak:7.0f} MB   rows/created/"
            f"skipped/failed/status {counts}{flag[job <= IMPORT_TARGET_S]}",
            f"{backend:<11} export  {seconds:7.1f} s   peak RSS {_peak_mb():7.0f} MB   "
            f"{len(export.data) / 1e6:.1f} MB .xlsx{flag[seconds <= EXPORT_TARGET_S]}"]


def _child(backend: str, url: str, data: bytes, queue) -> None:
    try:
        queue.put(measure(backend, url, data))
    except Exception as error:  # noqa: BLE001 (reported in the parent's table)
        queue.put([f"{backend:<11} FAILED: {error!r}"])


def main() -> int:
    """Runs each backend in a fresh process and prints the figures."""
    started = time.perf_counter()
    data = workbook(ROWS)
    print(f".. {ROWS} rows, {len(data) / 1e6:.1f} MB .xlsx ready in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    wanted = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    lines = [f"taizhang import/export bench {time.strftime('%Y-%m-%d %H:%M')}: {ROWS} customers; "
             f"targets: job <= {IMPORT_TARGET_S:.0f} s, export <= {EXPORT_TARGET_S:.0f} s; "
             f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"]
    context = multiprocessing.get_context("spawn")
    for backend in wanted:
        url = _sqlite_url() if backend == "sqlite" else _postgres_url()
        if url is None:
            lines.append(f"{backend:<11} SKIPPED (no server)")
            continue
        queue = context.Queue()
        process = context.Process(target=_child, args=(backend, url, data, queue))
        process.start()
        lines += queue.get()
        process.join()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
