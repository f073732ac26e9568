"""Background jobs: one Huey queue for the whole application.

The queue is on Redis when REDIS_URL is set (several web nodes, workers anywhere), otherwise in
a SQLite file beside the embedded database (instance/jobs.db, or JOBS_DB). The worker is
`huey_consumer app.jobs.huey`; `make run` starts it beside gunicorn. With
TAIZHANG_JOBS_IMMEDIATE=1 a job runs inside the request that enqueues it (no worker needed);
the tests switch `huey.immediate` on in their own fixture instead.

A task needs the Flask app: inside an app context (immediate mode) it runs in that context; in
a worker it pushes a context of the worker's one application, created on first use.
"""

import threading
from functools import wraps
from pathlib import Path

from flask import Flask, has_app_context
from huey import Huey, RedisHuey, SqliteHuey, crontab

from app.config import Config

INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def make_huey(redis_url: str | None, sqlite_path: Path | str, immediate: bool,
              name: str = "taizhang") -> Huey:
    """Redis when a URL is given, else the SQLite file; results are kept in our own rows."""
    if redis_url:
        return RedisHuey(name, url=redis_url, results=False, immediate=immediate)
    Path(sqlite_path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(sqlite_path), results=False, immediate=immediate)


huey = make_huey(Config.REDIS_URL, Config.JOBS_DB or INSTANCE / "jobs.db", Config.JOBS_IMMEDIATE)

_app: Flask | None = None
_app_lock = threading.Lock()


def worker_app() -> Flask:
    """The worker process's application, created once (thread-safe) on first use."""
    global _app
    with _app_lock:
        if _app is None:
            from app import create_app

            _app = create_app()
        return _app


def use_app(app: Flask | None) -> None:
    """Makes tasks that run outside an app context use `app` (benchmarks, tests)."""
    global _app
    _app = app


def with_app(func):
    """Runs `func` in the current app context, or in one of the worker's application."""

    @wraps(func)
    def run(*args, **kwargs):
        if has_app_context():
            return func(*args, **kwargs)
        with worker_app().app_context():
            return func(*args, **kwargs)

    return run


def run_import(batch_id: int) -> None:
    """Writes a confirmed import batch (services.imports.batches.run)."""
    from app.services.imports import batches

    batches.run(batch_id)


def run_sla_recompute(run_id: int) -> None:
    """Recomputes the stored SLA deadlines of open service records
    (services.service.sla.recompute.run)."""
    from app.services.service.sla import recompute

    recompute.run(run_id)


def run_visits_daily() -> None:
    """Tops the return-visit schedules up to their horizon and makes December's demand survey
    visits (services.service.visits.jobs.daily; idempotent)."""
    from app.services.service.visits import jobs

    jobs.daily()


def run_planner_statistics() -> None:
    """Refreshes SQLite's planner statistics (services.core.maintenance)."""
    from app.services.core import maintenance

    maintenance.refresh_planner_statistics()


def run_archive_print(job_id: int) -> None:
    """Makes an archivist's batch print of frozen copies (services.archive.items.batch.run)."""
    from app.services.archive.items import batch

    batch.run(job_id)


def run_archive_check(run_id: int) -> None:
    """Runs or resumes a four-property check (services.archive.checks.runs.run)."""
    from app.services.archive.checks import runs

    runs.run(run_id)


def run_archive_filing(run_id: int) -> None:
    """Files a filing run's lines: a handover list's accepted lines, or a month's lists
    (services.archive.handovers.execution.execute; resumable)."""
    from app.services.archive.handovers import execution

    execution.execute(run_id)


def run_monthly_filing() -> None:
    """Last month's handover lists of every department, for the archivist to receive
    (services.archive.handovers.execution.on_timer)."""
    from app.services.archive.handovers import execution

    execution.on_timer()


def run_loan_expiry() -> None:
    """Marks archive loans past their due time 已到期, audited (services.archive.loans.
    execution.run_expiry; access already closes at the due time itself)."""
    from app.services.archive.loans import execution

    execution.run_expiry()


def run_retention_recompute(run_id: int) -> None:
    """Recomputes filed items' expiry dates after a change of the retention schedule
    (services.archive.schedule_runs.run; resumable)."""
    from app.services.archive import schedule_runs

    schedule_runs.run(run_id)


def run_retention_nightly() -> None:
    """Refreshes every filed item's retention whose trigger event happened, moved or was
    undone since (services.archive.schedule_runs.nightly)."""
    from app.services.archive import schedule_runs

    schedule_runs.nightly()


def run_archive_disposal(disposal_id: int) -> None:
    """Executes or resumes a countersigned disposal list (services.archive.disposals.execution)."""
    from app.services.archive.disposals import execution

    execution.run(disposal_id)


def register_tasks(queue: Huey) -> dict:
    """The application's tasks on `queue` (the module's queue below; tests add a Redis one)."""
    return {"import_batch": queue.task(name="import_batch")(with_app(run_import)),
            "sla_recompute": queue.task(name="sla_recompute")(with_app(run_sla_recompute))}


_tasks = register_tasks(huey)
import_batch = _tasks["import_batch"]
sla_recompute = _tasks["sla_recompute"]
archive_print = huey.task(name="archive_print")(with_app(run_archive_print))
archive_check = huey.task(name="archive_check")(with_app(run_archive_check))
archive_disposal = huey.task(name="archive_disposal")(with_app(run_archive_disposal))
archive_filing = huey.task(name="archive_filing")(with_app(run_archive_filing))
retention_recompute = huey.task(name="retention_recompute")(with_app(run_retention_recompute))
# Every night at 02:00 local time of the worker (the consumer runs periodic tasks).
visits_daily = huey.periodic_task(crontab(hour="2", minute="0"), name="visits_daily")(
    with_app(run_visits_daily))
# Every night at 03:00, after the visits: SQLite's planner statistics (PostgreSQL keeps its own).
planner_statistics = huey.periodic_task(crontab(hour="3", minute="0"),
                                        name="planner_statistics")(
    with_app(run_planner_statistics))
# The 1st of each month at 01:30: last month's handover lists (004: 每月分类归档).
monthly_filing = huey.periodic_task(crontab(day="1", hour="1", minute="30"),
                                    name="monthly_filing")(with_app(run_monthly_filing))
# Every night at 02:30: filed items' expiry dates follow their records' trigger events.
retention_nightly = huey.periodic_task(crontab(hour="2", minute="30"),
                                       name="retention_nightly")(with_app(run_retention_nightly))
# Every hour at :05: archive loans past their due time are marked 已到期 and audited.
loan_expiry = huey.periodic_task(crontab(minute="5"), name="archive_loan_expiry")(
    with_app(run_loan_expiry))
