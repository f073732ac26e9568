"""`python -m bench.pages [path ...]`: every page of the throughput benchmark measured in process
with Flask's test client, on the demo data (a fresh copy, as bench.throughput makes it): the SQL
statements one request sends, the milliseconds a request takes (wall and CPU time, the best of
BENCH_ROUNDS (default 5) rounds of BENCH_REQUESTS (default 50) requests, so that a burst of load
on a shared machine spoils one round rather than the figure) and the Python function calls of
one request. A steadier companion to the throughput benchmark (no server, no load generator):
the bare floor (bench/floor.py) is measured the same way first, and each page's "share" is the
floor's CPU time over the page's, the in-process counterpart of bench.throughput's ratio
(there, a server and the load generator add the same cost to both, so its ratios run higher).
BENCH_PROFILE=1 prints a cProfile of each page. BENCH_DEMO_DB=<file> measures a copy of that
demo database instead of building a fresh one (bench.throughput.demo_database).
"""

import cProfile
import os
import pstats
import re
import sys
import time

from sqlalchemy import event

from bench.database import ROOT
from bench.throughput import demo_database

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
# Its own file: bench.throughput may be serving its copy at the same time.
DEMO_PATH = ROOT / "instance" / "bench_pages_demo.db"
_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
PAGES = (("/", "sales_mgr"), ("/customers/", "sales_mgr"), ("/sales/contracts/", "sales_mgr"),
         ("/sales/visits/", "sales_mgr"), ("/sales/ledger/", "sales_mgr"),
         ("/sales/receivables/", "sales_mgr"), ("/sales/referrals/", "sales_mgr"),
         ("/sales/ownership/", "sales_mgr"), ("/sales/imports/", "sales_mgr"),
         ("/approvals/", "sales_mgr"), ("/audit/", "auditor"), ("/admin/users/", "admin"),
         ("/customers/200", "sales_mgr"), ("/sales/contracts/24", "sales_mgr"),
         ("/sales/contracts/24/payments", "sales_mgr"), ("/sales/visits/plans/24", "sales_mgr"),
         ("/approvals/count", "sales_mgr"))


def _signed_in(app, username: str):
    client = app.test_client()
    token = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": username, "csrf_token": token,
                                "password": app.config["DEMO_PASSWORD"]})
    return client


def _calls(client, path: str) -> int:
    """Python function calls of one request: the same figure on a quiet or a loaded machine,
    so a change's effect shows even when the timings are noise."""
    profile = cProfile.Profile()
    profile.runcall(client.get, path)
    return pstats.Stats(profile).total_calls


def _measure(client, path: str, statements: list) -> tuple[int, float, float]:
    """(statements of one request, best wall ms and best CPU ms per request over the rounds).
    The process's CPU time barely moves when other programs load the machine, the wall time
    does: compare CPU figures between runs on a shared machine."""
    assert client.get(path).status_code == 200, path
    statements.clear()
    client.get(path)
    sent = len(statements)
    best_wall = best_cpu = float("inf")
    for _ in range(ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(REQUESTS):
            client.get(path)
        best_wall = min(best_wall, (time.perf_counter() - wall) * 1000 / REQUESTS)
        best_cpu = min(best_cpu, (time.process_time() - cpu) * 1000 / REQUESTS)
    return sent, best_wall, best_cpu


def _floor_cpu(database: str, path: str = "/") -> float:
    """The bare floor's best CPU ms per request on the same database file (see bench.floor
    for its second path)."""
    os.environ["FLOOR_DATABASE"] = database
    from bench.floor import app as floor

    return _measure(floor.test_client(), path, [])[2]


def main(paths: list[str]) -> int:
    from app import create_app
    from app.extensions import db

    database = demo_database(DEMO_PATH)
    app = create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    statements: list = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    clients: dict = {}
    print(f"taizhang pages in process: best of {ROUNDS} × {REQUESTS} requests; "
          f"{os.cpu_count()} CPUs, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    floor = _floor_cpu(database)
    print(f"{'floor /':<30} {floor:7.2f} ms CPU")
    print(f"{'floor /compiled-once':<30} {_floor_cpu(database, '/compiled-once'):7.2f} ms CPU")
    for path, user in PAGES:
        if paths and path not in paths:
            continue
        client = clients.setdefault(user, _signed_in(app, user))
        profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
        if profile:
            profile.enable()
        sent, wall, cpu = _measure(client, path, statements)
        print(f"{path:<30} {wall:7.2f} ms  {cpu:7.2f} ms CPU  share {floor / cpu:6.1%}  "
              f"{sent:3d} statements  {_calls(client, path):6d} calls", flush=True)
        if profile:
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
