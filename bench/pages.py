"""`python -m bench.pages [path ...]`: every page of the throughput benchmark measured in process
with Flask's test client, on the demo data (a fresh copy, as bench.throughput makes it): the SQL
statements one request sends and the milliseconds a request takes, the best of BENCH_ROUNDS
(default 5) rounds of BENCH_REQUESTS (default 50) requests, so that a burst of load on a shared
machine spoils one round rather than the figure. A steadier companion to the throughput
benchmark (no server, no load generator); BENCH_PROFILE=1 prints a cProfile of each page.
"""

import cProfile
import os
import pstats
import re
import sys
import time

from sqlalchemy import event

from bench.throughput import _demo_database

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
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


def _measure(client, path: str, statements: list) -> tuple[int, float]:
    """(statements of one request, best ms per request over the rounds)."""
    assert client.get(path).status_code == 200, path
    statements.clear()
    client.get(path)
    sent = len(statements)
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(REQUESTS):
            client.get(path)
        best = min(best, (time.perf_counter() - start) * 1000 / REQUESTS)
    return sent, best


def main(paths: list[str]) -> int:
    from app import create_app
    from app.extensions import db

    app = create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{_demo_database()}")
    statements: list = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    clients: dict = {}
    print(f"taizhang pages in process: best of {ROUNDS} × {REQUESTS} requests; "
          f"{os.cpu_count()} CPUs, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for path, user in PAGES:
        if paths and path not in paths:
            continue
        client = clients.setdefault(user, _signed_in(app, user))
        profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
        if profile:
            profile.enable()
        sent, ms = _measure(client, path, statements)
        print(f"{path:<30} {ms:7.2f} ms  {sent:3d} statements", flush=True)
        if profile:
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
