"""The runs that recompute filed items' retention (services/archive/retention.refresh_batch):
after a change of the schedule (the items of that record type) and every night (every item:
those whose trigger event happened, moved or was undone since, such as a contract whose end
date a change moved or a customer marked 流失). Destroyed items keep what they had.

Items are walked in id order, in committed batches with the run's progress, so a run resumes
after its last item; a second pass over unchanged rules and records writes nothing. Each
batch that changed anything is audited with the items' 档号 and old → new expiry dates: an
expiry decides when an item may be destroyed."""

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import func, select

from app.extensions import db
from app.models.archive import ArchiveItem, ArchiveState, RetentionRun, RetentionRunStatus
from app.models.base import utcnow
from app.services.archive import retention
from app.services.core import audit

BATCH = 500
NIGHTLY_REASON = "每日刷新"  # stored: the run list shows it as written
_queue: Callable[[int], object] | None = None


def request(record_type: str | None, reason: str, actor_id: int | None = None) -> RetentionRun:
    """A new run over the items of `record_type` (all when None), in the caller's
    transaction, for the caller to enqueue after its commit."""
    run = RetentionRun(record_type=record_type, reason=reason[:200], requested_by_id=actor_id,
                       status=RetentionRunStatus.QUEUED, total=0, processed=0, changed=0,
                       last_item_id=0)
    db.session.add(run)
    db.session.flush()
    return run


def use_queue(task: Callable[[int], object]) -> None:
    """The job queue's task for runs (the pages register app.jobs' one: the service layer
    does not import the job module, which builds the whole application)."""
    global _queue
    _queue = task


def enqueue(run_id: int) -> None:
    """Hands the run to the job queue after the caller's commit (none registered, as in a
    script: runs it here)."""
    if _queue is None:
        run(run_id)
    else:
        _queue(run_id)


def latest() -> RetentionRun | None:
    """The most recent run (the schedule page shows its progress)."""
    return db.session.scalars(select(RetentionRun).order_by(RetentionRun.id.desc())).first()


def unfinished() -> RetentionRun | None:
    """The oldest run that is queued, running or failed (to resume)."""
    return db.session.scalars(select(RetentionRun).where(
        RetentionRun.status != RetentionRunStatus.DONE).order_by(RetentionRun.id)).first()


def nightly() -> int:
    """The nightly refresh: a run over every item (which covers what an unfinished run of a
    change left); returns its id."""
    run_id = request(None, NIGHTLY_REASON).id
    db.session.commit()
    run(run_id)
    return run_id


def _items(job: RetentionRun):
    """The run's items, not destroyed, in id order."""
    query = select(ArchiveItem).where(ArchiveItem.state != ArchiveState.DESTROYED)
    if job.record_type is not None:
        query = query.where(ArchiveItem.record_type == job.record_type)
    return query


def run(run_id: int, batch: int = BATCH) -> None:
    """Runs (or resumes) the run: batches until no item is left after its cursor."""
    job = db.session.get(RetentionRun, run_id)
    if job is None or job.status == RetentionRunStatus.DONE:
        return
    if job.status != RetentionRunStatus.RUNNING or not job.total:
        job.total = job.processed + db.session.scalar(
            _items(job).where(ArchiveItem.id > job.last_item_id)
            .with_only_columns(func.count()).order_by(None))
    job.status, job.error = RetentionRunStatus.RUNNING, None
    db.session.commit()
    try:
        while step(job, batch):
            db.session.commit()
    except Exception as error:
        db.session.rollback()
        job = db.session.get(RetentionRun, run_id)
        job.status, job.error = RetentionRunStatus.FAILED, str(error)[:2000]
        db.session.commit()
        raise
    job.status, job.finished_at = RetentionRunStatus.DONE, utcnow()
    job.total = max(job.total, job.processed)
    db.session.commit()


def step(job: RetentionRun, batch: int) -> bool:
    """One batch after the run's cursor: refreshed, the changes audited, progress noted.
    False when there was nothing left."""
    items = list(db.session.scalars(_items(job).where(ArchiveItem.id > job.last_item_id)
                                    .order_by(ArchiveItem.id).limit(batch)))
    if not items:
        return False
    changed = retention.refresh_batch(items)
    _audit(job, changed)
    job.processed += len(items)
    job.changed += len(changed)
    job.last_item_id = items[-1].id
    return True


def _audit(job: RetentionRun, changed: list) -> None:
    """One event per confidentiality level of the changed items (a reader below a level sees
    that event without its numbers), naming each item's 档号 with its old → new expiry."""
    by_level = defaultdict(dict)
    for item, before in changed:
        by_level[item.confidentiality][item.archive_number] = [_day(before),
                                                               _day(item.expiry_date)]
    for level, items in sorted(by_level.items()):
        audit.record("retention_recomputed", object_type="ArchiveItem", object_label=job.reason,
                     level=level, changes={"run": job.id, "expiry_date": items})


def _day(value) -> str | None:
    return value.isoformat() if value else None
