"""One backend's benchmark: prepare its database, sign in, time every case for every user."""

import multiprocessing

from bench import database
from bench.cases import cases
from bench.measure import Timing, signed_in_client, time_rounds

TARGET_MS = 50.0
WARMUP = 5
MANAGER = "sales_mgr"
STAFF = "bench_sales_007"
HEADER = f"{'backend':<11} {'role':<24} {'case':<30} {'p50 ms':>7} {'p95 ms':>7} {'rows':>5}  count"


def line(t: Timing) -> str:
    """One row of the table, flagged when its p95 misses the target (bonus rows never are)."""
    verdict = "" if t.p95 <= TARGET_MS or "bonus" in t.case else "  MISSED"
    return (f"{t.backend:<11} {t.role:<24} {t.case:<30} {t.p50:>7.1f} {t.p95:>7.1f} "
            f"{t.rows:>5}  {t.count}{verdict}")


def _users(app) -> list[tuple[str, str, str]]:
    """(role label, username, password) of the users measured."""
    return [(f"manager {MANAGER}", MANAGER, app.config["DEMO_PASSWORD"]),
            (f"staff {STAFF}", STAFF, database.STAFF_PASSWORD)]


def bench_backend(backend: str, url: str, customers: int,
                  iterations: int) -> tuple[list[Timing], str]:
    """Prepares one backend's database and times every case for every user."""
    app = database.bench_app(url)
    total, generated = database.prepare(app, customers)
    note = (f"{backend}: {total} customers, generated now in {generated:.0f} s" if generated
            else f"{backend}: {total} customers, reused from an earlier run")
    print(f".. {note}", flush=True)
    database.enable_staff_login(app, STAFF)
    labels, requests = [], []
    for role, username, password in _users(app):
        client = signed_in_client(app, username, password)
        for case, case_url in cases(app, username):
            labels.append((role, case))
            requests.append((client, case_url))
    measured = time_rounds(requests, iterations, WARMUP)
    timings = [Timing(backend, role, case, *figures)
               for (role, case), figures in zip(labels, measured, strict=True)]
    for timing in timings:
        print(line(timing), flush=True)
    return timings, note


def in_fresh_process(backend: str, url: str, customers: int,
                     iterations: int) -> tuple[list[Timing], str]:
    """`bench_backend` in a new interpreter, so one backend's objects never slow the garbage
    collection (and so the timings) of the other."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(bench_backend, (backend, url, customers, iterations))
