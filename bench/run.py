"""`make bench`: p50/p95 server time of the customer list and search, SQLite and PostgreSQL.

Environment: BENCH_CUSTOMERS (default 200000), BENCH_ITERATIONS (default 50),
BENCH_BACKENDS (default "sqlite,postgresql"), BENCH_PG_SERVER_URL (the PostgreSQL server).
"""

import os
import sys
import time
from pathlib import Path

from bench import database
from bench.backend import HEADER, TARGET_MS, WARMUP, in_fresh_process, line
from bench.measure import Timing

RESULTS = Path(__file__).resolve().parent / "results" / "latest.txt"


def _backends() -> list[tuple[str, str | None]]:
    """(backend, database URL or None when unavailable) of the backends asked for."""
    wanted = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    chosen = []
    if "sqlite" in wanted:
        chosen.append(("sqlite", database.sqlite_url()))
    if "postgresql" in wanted:
        chosen.append(("postgresql", database.postgres_url()))
    return chosen


def report(timings: list[Timing], notes: list[str], iterations: int, load: str) -> str:
    """The results table with its verdict (bonus lines do not count toward the target)."""
    judged = [t for t in timings if "bonus" not in t.case]
    missed = [t for t in judged if t.p95 > TARGET_MS]
    lines = [f"taizhang bench {time.strftime('%Y-%m-%d %H:%M')}: server time in-process, "
             f"{iterations} requests per case after {WARMUP} warm-up, target p95 <= "
             f"{TARGET_MS:.0f} ms; {os.cpu_count()} CPUs, load average at start {load}",
             HEADER, *(line(t) for t in timings),
             f"{len(missed)} of {len(judged)} cases over target" if missed
             else f"all {len(judged)} cases within target" if judged else "nothing measured"]
    lines += notes
    return "\n".join(lines) + "\n"


def main() -> int:
    """Runs the benchmark, prints the table and writes bench/results/latest.txt."""
    customers = int(os.environ.get("BENCH_CUSTOMERS", "200000"))
    iterations = int(os.environ.get("BENCH_ITERATIONS", "50"))
    timings, notes = [], []
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(HEADER, flush=True)
    for backend, url in _backends():
        if url is None:
            notes.append(f"SKIPPED: {backend} (no server answered)")
            continue
        measured, note = in_fresh_process(backend, url, customers, iterations)
        timings += measured
        notes.append(note)
    text = report(timings, notes, iterations, load)
    print("\n" + text, end="")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(f"(also written to {RESULTS})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
