"""The four-property check as a background job over all or part of the archive.

A run walks its items in id order, a chunk at a time: the chunk's rows are read in one query,
each file once, the results of the items that did not pass inserted together, the items'
last-checked time set in one UPDATE, and the run's progress committed with them. So an
interrupted run (an error, a worker killed) resumes after its last committed chunk and counts
no item twice: a chunk's progress is written only if the run's cursor is still where the chunk
began, so two workers given the same run never both count it. The archive-wide checks run at
the end, once."""

import json
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import distinct, func, insert, or_, select, update

from app.extensions import db
from app.models.archive import (
    ArchiveCheckResult,
    ArchiveCheckRun,
    ArchiveCheckScheme,
    ArchiveItem,
    CheckOutcome,
    CheckRunStatus,
    CheckScope,
)
from app.models.base import utcnow
from app.services.archive import store
from app.services.archive.checks import archive_wide, engine
from app.services.archive.checks.scopes import scope_clauses
from app.services.core import audit

CHUNK = 500
STALE = timedelta(minutes=10)  # a running run without a committed chunk for this long died
_T, _R = ArchiveItem.__table__, ArchiveCheckRun.__table__
_queue: Callable[[int], object] | None = None


class Overtaken(Exception):
    """Another worker committed this run's next chunk first: this one stops."""


def use_queue(task: Callable[[int], object]) -> None:
    """The job queue's task for runs (the archive's pages register app.jobs' one)."""
    global _queue
    _queue = task


def enqueue(run_id: int) -> None:
    """Hands the run to the job queue after the caller's commit (no queue: runs it here)."""
    if _queue is None:
        run(run_id)
    else:
        _queue(run_id)


def resumable(check_run: ArchiveCheckRun) -> bool:
    """Interrupted: failed, or running without a committed chunk for STALE (its worker died)."""
    if check_run.status == CheckRunStatus.FAILED:
        return True
    return check_run.status == CheckRunStatus.RUNNING and (
        check_run.heartbeat_at is None or check_run.heartbeat_at < utcnow() - STALE)


def run(run_id: int, chunk: int = CHUNK) -> None:
    """Runs or resumes the run to its end; leaves a finished or live one alone."""
    if not _claim(run_id):
        return
    check_run = db.session.get(ArchiveCheckRun, run_id)
    plan = engine.Plan(db.session.get(ArchiveCheckScheme, check_run.scheme_id))
    walk = _Walk(check_run, plan)
    try:
        while walk.step(chunk):
            db.session.commit()
        _finish(run_id, plan, walk)
        db.session.commit()
    except Overtaken:
        db.session.rollback()
    except Exception as error:
        db.session.rollback()
        db.session.execute(update(_R).where(_R.c.id == run_id).values(
            status=CheckRunStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000]))
        db.session.commit()
        raise


def _claim(run_id: int) -> bool:
    """Marks a queued or interrupted run running (with its total when it starts); False for
    one that is done or alive in another worker."""
    now = utcnow()
    claimed = db.session.execute(update(_R).where(
        _R.c.id == run_id,
        or_(_R.c.status.in_([CheckRunStatus.QUEUED, CheckRunStatus.FAILED]),
            (_R.c.status == CheckRunStatus.RUNNING) & (_R.c.heartbeat_at < now - STALE)))
        .values(status=CheckRunStatus.RUNNING, heartbeat_at=now, error=None))
    if claimed.rowcount == 1:
        check_run = db.session.get(ArchiveCheckRun, run_id)
        if check_run.processed == 0:
            check_run.total = db.session.scalar(
                select(func.count()).select_from(_T).where(*scope_clauses(check_run)))
    db.session.commit()
    return claimed.rowcount == 1


class _Walk:
    """A run's cursor and counters between chunks (its ORM row expires at each commit)."""

    def __init__(self, check_run: ArchiveCheckRun, plan: engine.Plan):
        self.run_id, self.plan, self.root = check_run.id, plan, store.archive_root()
        self.clauses = scope_clauses(check_run)
        self.last = check_run.last_item_id
        self.counts = Counter({"processed": check_run.processed, "passed": check_run.passed,
                               "warned": check_run.warned, "failed": check_run.failed})
        self.tallies = Counter(json.loads(check_run.tallies or "{}"))

    def step(self, chunk: int) -> bool:
        """Checks and records the next chunk; False when no item is left."""
        rows = db.session.execute(select(_T).where(*self.clauses, _T.c.id > self.last)
                                  .order_by(_T.c.id).limit(chunk)).all()
        if not rows:
            return False
        results = engine.check_rows(rows, self.plan, self.root)
        now = utcnow()
        failing = [result for result in results if result.findings]
        if failing:
            db.session.execute(insert(ArchiveCheckResult), [
                {"run_id": self.run_id, "item_id": r.item_id, "outcome": r.outcome,
                 "problems": json.dumps([[f.code, f.detail] for f in r.findings],
                                        ensure_ascii=False)} for r in failing])
        db.session.execute(update(_T).where(_T.c.id.in_([row.id for row in rows]))
                           .values(last_checked_at=now))
        self._count(results)
        moved = db.session.execute(update(_R).where(_R.c.id == self.run_id,
                                                    _R.c.last_item_id == self.last)
                                   .values(last_item_id=rows[-1].id, heartbeat_at=now,
                                           tallies=json.dumps(self.tallies), **self.counts))
        if moved.rowcount != 1:
            raise Overtaken
        self.last = rows[-1].id
        return True

    def _count(self, results: list[engine.ItemResult]) -> None:
        key = {CheckOutcome.PASSED: "passed", CheckOutcome.WARNING: "warned",
               CheckOutcome.FAILED: "failed"}
        for result in results:
            self.counts["processed"] += 1
            self.counts[key[result.outcome]] += 1
            self.tallies.update(finding.code for finding in result.findings)


def _finish(run_id: int, plan: engine.Plan, walk: _Walk) -> None:
    """The archive-wide checks, the conclusion and the run's audit event."""
    check_run = db.session.get(ArchiveCheckRun, run_id)
    series = None if check_run.scope == CheckScope.ALL else set(db.session.scalars(
        select(distinct(_T.c.series)).where(*walk.clauses)))
    found = archive_wide.findings(plan, series)
    check_run.findings = json.dumps([[f.code, f.blocking, f.detail] for f in found],
                                    ensure_ascii=False)
    check_run.conclusion = conclusion(check_run.failed, check_run.warned, found)
    check_run.status, check_run.finished_at = CheckRunStatus.DONE, utcnow()
    check_run.total = max(check_run.total, check_run.processed)
    audit.record("archive_check_finished", check_run, changes={
        "processed": check_run.processed, "failed": check_run.failed,
        "warned": check_run.warned, "conclusion": check_run.conclusion})


def conclusion(failed: int, warned: int, found: list[engine.Finding]) -> CheckOutcome:
    """不通过 with any failed item or blocking archive-wide finding; 警告 with warnings only."""
    if failed or any(finding.blocking for finding in found):
        return CheckOutcome.FAILED
    if warned or found:
        return CheckOutcome.WARNING
    return CheckOutcome.PASSED
