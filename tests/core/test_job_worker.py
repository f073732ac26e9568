"""A confirmed import starts within a second when a worker is idle (issue 10, requirement 8):
the worker `make run` and `make worker` start polls the queue at most every half second (huey's
default backs off to 10 s, and a 3-second import waited ~10 s at 排队中)."""

import importlib
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _poll_options() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    consumers = [line for line in makefile.splitlines() if "huey_consumer app.jobs.huey" in line]
    assert len(consumers) == 2 and all("$(JOB_POLL)" in line for line in consumers)
    return shlex.split(re.search(r"^JOB_POLL \?= (.+)$", makefile, re.M).group(1))


def test_the_worker_polls_at_most_every_second():
    options = _poll_options()
    assert float(options[options.index("--max-delay") + 1]) <= 1


def test_an_idle_worker_starts_a_job_within_a_second(tmp_path, monkeypatch):
    monkeypatch.setenv("PROBE_DB", str(tmp_path / "probe.db"))
    env = dict(os.environ)
    consumer = Path(sys.executable).with_name("huey_consumer")
    worker = subprocess.Popen([str(consumer), "tests.core.job_probe.huey", "--workers", "1",
                               *_poll_options()], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Idle long enough that huey's default back-off (x1.15 per empty poll, up to 10 s)
        # would wait more than a second between polls.
        time.sleep(8)
        job_probe = importlib.reload(importlib.import_module("tests.core.job_probe"))
        done = tmp_path / "ran"
        queued_at = time.time()
        job_probe.stamp(str(done))
        while not done.exists() and time.time() - queued_at < 10:
            time.sleep(0.05)
        assert float(done.read_text()) - queued_at < 1.0
    finally:
        worker.terminate()
        worker.wait(10)
