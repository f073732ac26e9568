"""Running a filing run in the background (app.jobs' archive_filing task; the timer's monthly
run on the 1st): a monthly run first builds its lists, then every run files the lines given to
it, one committed line at a time. Resumable: run again, a run rebuilds nothing it has and files
only the lines still waiting; filing is idempotent, so a line filed just before a crash is
completed, not filed twice."""

from collections.abc import Callable

from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.archive import ArchiveFilingRun, ArchiveHandoverLine, HandoverLineStatus
from app.models.archive import FilingRunStatus as Status
from app.models.base import utcnow
from app.services.archive.handovers import monthly, receipt
from app.timeutil import local_today

_queue: Callable[[int], object] | None = None


def use_queue(task: Callable[[int], object]) -> None:
    """The job queue's task for runs (the archive's pages register app.jobs' one: services do
    not import the job module, which builds the whole application)."""
    global _queue
    _queue = task


def enqueue(run_id: int) -> None:
    """Hands the run to the job queue after the caller's commit (no queue registered, as in a
    script: runs it here)."""
    if _queue is None:
        execute(run_id)
    else:
        _queue(run_id)


def execute(run_id: int) -> None:
    """Runs (or resumes) the run; a failure marks it 中断 with the error and is raised again
    (the job's log keeps it)."""
    run = db.session.get(ArchiveFilingRun, run_id)
    if run is None or run.status == Status.DONE:
        return
    run.status, run.error = Status.RUNNING, None
    db.session.commit()
    try:
        if run.handover_id is None:
            monthly.build(run)
        _file_lines(run)
    except Exception as error:
        db.session.rollback()
        run = db.session.get(ArchiveFilingRun, run_id)
        run.status, run.error = Status.FAILED, str(error)[:2000]
        db.session.commit()
        raise
    run.status, run.finished_at = Status.DONE, utcnow()
    db.session.commit()


def _file_lines(run: ArchiveFilingRun) -> None:
    """Files the run's accepted lines in id order, each committed on its own."""
    if run.receiver_id is None:
        return
    receiver = db.session.get(User, run.receiver_id)
    line_ids = list(db.session.scalars(
        select(ArchiveHandoverLine.id).where(ArchiveHandoverLine.run_id == run.id,
                                             ArchiveHandoverLine.status ==
                                             HandoverLineStatus.ACCEPTED)
        .order_by(ArchiveHandoverLine.id)))
    for line_id in line_ids:
        receipt.receive(line_id, receiver)


def on_timer() -> int:
    """The 1st of each month: last month's lists of every department, left waiting for the
    archivist (nobody receives them); returns the run's id."""
    run = monthly.request(monthly.last_month(local_today()), None, None)
    db.session.commit()
    run_id = run.id
    execute(run_id)
    return run_id
