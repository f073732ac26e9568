"""`python -m bench.throughput`: requests per second of every list and detail page of the
product against the bare floor (bench/floor.py), both under the same gunicorn (2 workers × 4
threads) and the same load generator (wrk, 2 threads × 8 connections), taking turns
BENCH_ROUNDS times (default 3) for BENCH_SECONDS each (default 3), the best of each compared;
signed in as the sales manager (the auditor and the administrator for their pages).

Targets (share of the floor's requests/s): every list page ≥ 50 %, every detail page ≥ 40 %,
the home page ≥ 60 %. Measured on the demo data and on the benchmark's 200,000 customers
(bench/database.py) with 20,000 contracts of theirs (BENCH_CONTRACTS), SQLite
(BENCH_DATASETS=demo,200k; BENCH_DEMO_DB=<file> measures a copy of that demo database).
Results also go to bench/results/throughput.txt.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import Contract
from bench import database, receivables_data
from bench.serve import Server, sign_in, wrk

SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGETS = {"home": 0.60, "list": 0.50, "detail": 0.40}
RESULTS = Path(__file__).resolve().parent / "results" / "throughput.txt"
DEMO_PATH = database.ROOT / "instance" / "bench_throughput_demo.db"
_ID = re.compile(r'href="(/(?:customers|sales/contracts|sales/visits/plans|approvals)/\d+)"')


def _pages(list_bodies: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(kind, label, path, user) of every page measured: the lists, then one record of each
    kind found on its list (the first row the manager sees)."""
    lists = [("home", "工作台 /", "/", "sales_mgr"),
             ("list", "客户 /customers/", "/customers/", "sales_mgr"),
             ("list", "合同 /sales/contracts/", "/sales/contracts/", "sales_mgr"),
             ("list", "拜访 /sales/visits/", "/sales/visits/", "sales_mgr"),
             ("list", "销售台账 /sales/ledger/", "/sales/ledger/", "sales_mgr"),
             ("list", "应收 /sales/receivables/", "/sales/receivables/", "sales_mgr"),
             ("list", "转介绍 /sales/referrals/", "/sales/referrals/", "sales_mgr"),
             ("list", "归属 /sales/ownership/", "/sales/ownership/", "sales_mgr"),
             ("list", "待办 /approvals/", "/approvals/", "sales_mgr"),
             ("list", "审计 /audit/", "/audit/", "auditor"),
             ("list", "用户 /admin/users/", "/admin/users/", "admin")]
    details = []
    for prefix, label in (("/customers/", "客户详情"), ("/sales/contracts/", "合同详情"),
                          ("/sales/visits/plans/", "拜访计划")):
        found = [p for p in _ID.findall("".join(list_bodies.values())) if p.startswith(prefix)]
        if found:
            details.append(("detail", f"{label} {found[0]}", found[0], "sales_mgr"))
    return lists + details


def demo_database(path: Path = DEMO_PATH) -> str:
    """A fresh SQLite file at `path` with the migrations and the demo data (`make run`'s
    content), or a copy of BENCH_DEMO_DB when set (building one takes half a minute: runs
    before and after a change can then follow each other closely), brought up to the latest
    migration (a copy made before one would lack its tables). Each benchmark passes a path of
    its own, so that one never deletes the file another is serving."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    kept = os.environ.get("BENCH_DEMO_DB")
    if kept:
        _copy_database(kept, path)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    if not kept:
        subprocess.run([*flask, "demo-data"], env=env, check=True, capture_output=True)
    return str(path)


def _copy_database(source: str, target: Path) -> None:
    """A consistent copy of an SQLite database, what its write-ahead log holds included (a copy
    of the file alone can be malformed while the log has not been checkpointed)."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def _big_database() -> str:
    """The 200,000-customer benchmark database with BENCH_CONTRACTS (default 20,000) contracts
    of theirs, with their terms and payments (bench.receivables_data), so that the contract
    pages and the customer's sales sections are measured full, not empty (generated once,
    kept between runs)."""
    customers = int(os.environ.get("BENCH_CUSTOMERS", "200000"))
    contracts = int(os.environ.get("BENCH_CONTRACTS", "20000"))
    app = database.bench_app(database.sqlite_url())
    database.prepare(app, customers)
    with app.app_context():
        existing = db.session.scalar(select(func.count()).select_from(Contract))
        if existing < contracts:
            print(f".. generating {contracts - existing} contracts ({existing} exist)",
                  flush=True)
            receivables_data.add_contracts(contracts - existing)
        db.session.remove()
    return str(database.SQLITE_PATH)


def measure(dataset: str, path: str) -> list[str]:
    """Every page on one database file: the table's lines. The floor and the page take turns,
    ROUNDS times each, and the best of each are compared (as bench.pages takes the best
    round): on a shared machine other work drops a run to a third of its speed for ten
    seconds at a time and never speeds one up, so a ratio to one run of the floor, or to one
    taken minutes earlier, measures those spells (the page's rounds are printed as a range)."""
    lines = []
    with Server("bench.floor:app", {"FLOOR_DATABASE": path}) as floor, \
            Server("wsgi:app", {"DATABASE_URL": f"sqlite:///{path}"}) as product:
        cookies = {user: sign_in(product, user) for user in ("sales_mgr", "auditor", "admin")}
        bodies = {p: product.get(p, cookies["sales_mgr"]) for p in
                  ("/customers/", "/sales/contracts/", "/sales/visits/")}
        for kind, label, page, user in _pages(bodies):
            product.get(page, cookies[user])  # answers 200 itself, not a redirect
            floors, rates = [], []
            for _round in range(ROUNDS):
                floors.append(wrk(floor.url("/"), "", SECONDS))
                rates.append(wrk(product.url(page), cookies[user], SECONDS))
            floor_rps, rps = max(floors), max(rates)
            share = rps / floor_rps
            verdict = "" if share >= TARGETS[kind] else "  MISSED"
            lines.append(f"{dataset}: {kind:<6} {label:<34} {rps:8.1f} req/s "
                         f"({min(rates):.0f}-{max(rates):.0f})  floor {floor_rps:6.1f}  "
                         f"{share:6.1%} (target ≥ {TARGETS[kind]:.0%}){verdict}")
            print(lines[-1], flush=True)
    return lines


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk; `make bench` does it)")
        return 1
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    head = (f"taizhang throughput {time.strftime('%Y-%m-%d %H:%M')}: gunicorn 2 workers × 4 "
            f"threads, wrk 2 threads × 8 connections, floor and page in turn {ROUNDS} times "
            f"{SECONDS} s each, best of each; {os.cpu_count()} CPUs, load at start {load}")
    print(head, flush=True)
    lines = [head]
    wanted = os.environ.get("BENCH_DATASETS", "demo,200k").split(",")
    for dataset, prepare in (("demo", demo_database), ("200k", _big_database)):
        if dataset in wanted:
            lines += measure(dataset, prepare())
    text = "\n".join(lines) + "\n"
    print("\n" + text, end="")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
