"""Executing a countersigned disposal list, as a background job (app.jobs.archive_disposal): each
entry in its own transaction, in the list's order, so that an interrupted run (a crash, kill -9,
a refused commit) resumes where it stopped and never does an entry twice.

Per entry, under the item's row lock: an item a reviewer kept is recorded 保留 and left alone;
otherwise store.destroy_copy deletes its copy if holds.guard.can_destroy allows it (not held,
not lent, retention ended, this list approved and countersigned), and the item becomes 已销毁,
its metadata, hashes and this list's signatures staying as the 销毁清册 (PIPL §47: see privacy);
a refusal leaves the item in store, recorded 未销毁 with its reason. The copy is deleted before
the transaction commits: a failed commit leaves the entry pending for the next run, whose
deletion of a copy already gone changes nothing."""

from collections.abc import Callable

from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.archive import (
    ArchiveState,
    DisposalEntry,
    DisposalList,
    DisposalStatus,
    EntryDecision,
    EntryOutcome,
)
from app.models.archive.disposals import EXECUTING
from app.models.base import utcnow
from app.services.archive import store
from app.services.archive.disposals import privacy
from app.services.archive.disposals.entries import leave_list
from app.services.archive.holds.guard import DestroyRefused, lock_item
from app.services.core import audit

_queue: Callable[[int], object] | None = None


def use_queue(task: Callable[[int], object]) -> None:
    """The job queue's task for executions (the archive's pages register app.jobs' one)."""
    global _queue
    _queue = task


def enqueue(disposal_id: int) -> None:
    """Hands the list to the job queue after the caller's commit (no queue: runs it here)."""
    if _queue is None:
        run(disposal_id)
    else:
        _queue(disposal_id)


def _pending_ids(disposal_id: int) -> list[int]:
    return list(db.session.scalars(select(DisposalEntry.id).where(
        DisposalEntry.disposal_id == disposal_id,
        DisposalEntry.outcome == EntryOutcome.PENDING).order_by(DisposalEntry.id)))


def run(disposal_id: int) -> None:
    """Runs (or resumes) the execution of a countersigned list to its end."""
    disposal = db.session.get(DisposalList, disposal_id)
    if disposal is None or disposal.status not in EXECUTING:
        return
    disposal.status, disposal.error = DisposalStatus.RUNNING, None
    db.session.commit()
    try:
        for entry_id in _pending_ids(disposal_id):
            execute_entry(entry_id)
            db.session.commit()
    except Exception as error:
        db.session.rollback()
        disposal = db.session.get(DisposalList, disposal_id)
        disposal.status, disposal.error = DisposalStatus.FAILED, str(error)[:2000]
        db.session.commit()
        raise
    _finish(db.session.get(DisposalList, disposal_id))
    db.session.commit()


def execute_entry(entry_id: int) -> None:
    """One entry, in the caller's transaction: kept, destroyed, or refused with its reason;
    nothing when a concurrent run has done it already."""
    entry = db.session.get(DisposalEntry, entry_id)
    item = lock_item(entry.item_id)
    db.session.refresh(entry)
    if entry.outcome != EntryOutcome.PENDING:
        return
    disposal = db.session.get(DisposalList, entry.disposal_id)
    if entry.decision == EntryDecision.KEEP:
        entry.outcome, entry.outcome_reason = EntryOutcome.KEPT, entry.keep_reason
        entry.done_at = utcnow()
    else:
        try:
            store.destroy_copy(item)
        except DestroyRefused as refusal:
            leave_list(entry, EntryOutcome.SKIPPED, refusal.message)
        else:
            _destroyed(entry, item, disposal)
    disposal.processed += 1


def _destroyed(entry: DisposalEntry, item, disposal: DisposalList) -> None:
    item.state = ArchiveState.DESTROYED
    entry.outcome, entry.done_at = EntryOutcome.DESTROYED, utcnow()
    entry.personal_data_removed = privacy.forget_person(item)
    # Named by its 档号 only: the title may name a person.
    audit.record("archive_item_destroyed", item, object_label=item.archive_number,
                 actor=_executor(disposal), changes={
                     "disposal": disposal.number, "sha256": item.sha256, "sm3": item.sm3,
                     "size": item.size, "personal_data_removed": entry.personal_data_removed})


def _executor(disposal: DisposalList) -> User | None:
    """The archivist who countersigned: the job acts in their name."""
    return db.session.get(User, disposal.countersigned_by_id)


def _finish(disposal: DisposalList) -> None:
    counts = {outcome.value: 0 for outcome in EntryOutcome}
    for outcome in db.session.scalars(select(DisposalEntry.outcome).where(
            DisposalEntry.disposal_id == disposal.id)):
        counts[outcome.value] += 1
    disposal.status, disposal.finished_at = DisposalStatus.DONE, utcnow()
    audit.record("archive_disposal_completed", disposal, actor=_executor(disposal), changes={
        "destroyed": counts["destroyed"], "kept": counts["kept"], "skipped": counts["skipped"]})
