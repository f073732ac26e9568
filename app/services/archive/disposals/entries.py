"""How items leave a disposal list that will not destroy them (rejected, withdrawn, aborted, a
keep decision, a refusal at execution): back to 在库, or, while a hold keeps them 冻结, to 在库
when it is released."""

from sqlalchemy import select

from app.extensions import db
from app.models.archive import (
    ArchiveState,
    DisposalEntry,
    DisposalList,
    EntryDecision,
    EntryOutcome,
)
from app.models.base import utcnow
from app.services.archive.holds import marks
from app.services.archive.holds.guard import lock_item


def leave_list(entry: DisposalEntry, outcome: EntryOutcome | None = None,
               reason: str | None = None) -> None:
    """The entry's item goes back to rest; with `outcome`, the entry is done with it. An item
    kept by a reviewer left the list then (it may be on another list since)."""
    item = lock_item(entry.item_id)
    ours = entry.decision == EntryDecision.DESTROY
    if ours and item.state in (ArchiveState.DUE, ArchiveState.HELD):
        marks.settle(item, ArchiveState.IN_STORE)
    if outcome is not None:
        entry.outcome, entry.outcome_reason, entry.done_at = outcome, reason, utcnow()


def withdraw_entries(disposal: DisposalList) -> None:
    """Every entry not yet done leaves the list (WITHDRAWN): the list will not run."""
    pending = db.session.scalars(select(DisposalEntry).where(
        DisposalEntry.disposal_id == disposal.id,
        DisposalEntry.outcome == EntryOutcome.PENDING).order_by(DisposalEntry.id))
    for entry in pending:
        leave_list(entry, EntryOutcome.WITHDRAWN)
