"""The one check before anything filed is destroyed: can_destroy(item). Every path that deletes
an item's content asks it (services/archive/store.destroy_copy, which disposal execution uses),
inside the transaction that deletes, after taking the item's row lock (lock_item): no hold,
loan or keep decision can commit between the check and that transaction's commit.

An item may be destroyed only when all of these hold: it is not destroyed already, no active
hold covers it (by item, customer or kind), no loan has it out (a paper loan handed out, or an
approved loan before its due time: someone may be reading it), its retention has ended (an
expiry date, today or earlier), and an approved disposal list, past its waiting period and
countersigned by the archivist, names it for destruction with nothing done yet."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, exists, or_, select, update

from app.extensions import db
from app.models.archive import (
    ArchiveItem,
    ArchiveLoan,
    ArchiveLoanItem,
    ArchiveState,
    DisposalEntry,
    DisposalList,
    LoanStatus,
)
from app.models.archive.disposals import EXECUTING, EntryDecision, EntryOutcome
from app.models.base import utcnow
from app.services.archive.holds.coverage import covering
from app.services.core.errors import Refused
from app.timeutil import local_today


class DestroyRefused(Refused):
    """The item may not be destroyed (why: the message)."""


@dataclass(frozen=True)
class Verdict:
    """can_destroy's answer: true when the item may be destroyed, else why not."""

    reason: str | None = None

    def __bool__(self) -> bool:
        return self.reason is None


def lock_item(item_id: int) -> ArchiveItem | None:
    """The item re-read under its row lock, taken by a write (PostgreSQL locks the row, SQLite
    the database): concurrent holds, loans and disposals of the item queue behind the caller's
    transaction. None when there is no such item."""
    db.session.execute(update(ArchiveItem).where(ArchiveItem.id == item_id)
                       .values(state=ArchiveItem.state)
                       .execution_options(synchronize_session=False))
    return db.session.get(ArchiveItem, item_id, populate_existing=True)


def is_held(item: ArchiveItem) -> bool:
    """Does an active hold cover the item?"""
    return bool(db.session.scalar(select(exists().where(
        covering(item.id, item.customer_id, item.record_type)))))


def lent_items() -> ColumnElement:
    """The condition, over ArchiveItem, that a loan has the item out: handed out on paper, or
    approved and not yet past its due time."""
    running = or_(ArchiveLoan.status == LoanStatus.LENT,
                  and_(ArchiveLoan.status == LoanStatus.APPROVED,
                       or_(ArchiveLoan.due_at.is_(None), ArchiveLoan.due_at > utcnow())))
    return exists().where(ArchiveLoanItem.item_id == ArchiveItem.id,
                          ArchiveLoan.id == ArchiveLoanItem.loan_id, running)


def is_lent(item: ArchiveItem) -> bool:
    return item.state == ArchiveState.ON_LOAN or db.session.scalar(
        select(ArchiveItem.id).where(ArchiveItem.id == item.id, lent_items())) is not None


def _authorised(item: ArchiveItem) -> bool:
    """Does an executing disposal list (approved, waited, countersigned) name the item for
    destruction, not yet done?"""
    return bool(db.session.scalar(select(exists().where(
        DisposalEntry.item_id == item.id, DisposalEntry.decision == EntryDecision.DESTROY,
        DisposalEntry.outcome == EntryOutcome.PENDING,
        DisposalList.id == DisposalEntry.disposal_id, DisposalList.status.in_(EXECUTING),
        DisposalList.countersigned_at.is_not(None), DisposalList.wait_until <= utcnow()))))


def can_destroy(item: ArchiveItem) -> Verdict:
    """Whether the item may be destroyed now; call it after lock_item, in the transaction that
    destroys."""
    if item.state == ArchiveState.DESTROYED:
        return Verdict(_("该档案已销毁。"))
    if is_held(item):
        return Verdict(_("该档案已被冻结（法律保全），不能销毁。"))
    if is_lent(item):
        return Verdict(_("该档案借出未还或正在借阅期内，不能销毁。"))
    if item.expiry_date is None or item.expiry_date > local_today():
        return Verdict(_("该档案保管期限未满（或为永久保管），不能销毁。"))
    if not _authorised(item):
        return Verdict(_("该档案不在已批准、已过等待期并经档案管理员会签的销毁清单中，不能销毁。"))
    return Verdict()


def require_destroyable(item: ArchiveItem) -> None:
    """Locks and re-reads the item, then raises DestroyRefused unless can_destroy allows it."""
    if lock_item(item.id) is None:
        raise DestroyRefused(_("要销毁的档案不存在。"))
    verdict = can_destroy(item)
    if not verdict:
        raise DestroyRefused(verdict.reason)
