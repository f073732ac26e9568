"""What people do with disposal lists, audited: the archivist drafts one from due items (it goes
to the engine at once), a reviewer keeps an item (with a reason), the archivist, a reviewer or
the GM aborts a list during its waiting period, and the archivist starts (or resumes) its
execution, countersigning (会签) with their password. Policy decides who (policy/archive/
disposals.py); these refuse what the list's state does not allow."""

import hashlib

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update

from app.extensions import db
from app.models import ApprovalRequest, RequestStatus, User
from app.models.archive import (
    ArchiveItem,
    ArchiveState,
    DisposalEntry,
    DisposalList,
    DisposalStatus,
    EntryDecision,
    EntryOutcome,
)
from app.models.archive.disposals import EXECUTING, OPEN
from app.models.base import utcnow
from app.services.approvals import engine as approvals
from app.services.archive.disposals.due import due_condition
from app.services.archive.disposals.entries import leave_list, withdraw_entries
from app.services.archive.disposals.kind import DISPOSAL_FLOW, RECORD_TYPE
from app.services.core import audit, numbering
from app.services.core.audit import canonical_json
from app.services.core.errors import Refused

MAX_ITEMS = 500
REASON_MAX = 1000


class DisposalRefused(Refused):
    """The disposal list cannot do what was asked in its present state."""


def _text(text: str | None, field: str, required: bool = True) -> str | None:
    value = (text or "").strip()
    if required and not value:
        raise DisposalRefused(_("请填写原因。"), field)
    if len(value) > REASON_MAX:
        raise DisposalRefused(_("不能超过 %(max)d 个字。", max=REASON_MAX), field)
    return value or None


def _chosen(scoped_items: Select, item_ids: list[int]) -> list[ArchiveItem]:
    """The chosen items, each due and visible to the user, all of one department."""
    ids = sorted(set(item_ids))
    if not ids:
        raise DisposalRefused(_("请勾选要列入销毁清单的档案。"), "item_ids")
    if len(ids) > MAX_ITEMS:
        raise DisposalRefused(_("一份销毁清单最多 %(n)d 件档案。", n=MAX_ITEMS), "item_ids")
    items = list(db.session.scalars(scoped_items.where(ArchiveItem.id.in_(ids), due_condition())
                                    .order_by(ArchiveItem.id)))
    if len(items) != len(ids):
        raise DisposalRefused(_("所选档案中有的已不在到期待销毁清单中（已冻结、借出、列入其他清单或"
                                "保管期限已调整），请刷新后重新选择。"), "item_ids")
    if len({item.department_id for item in items}) > 1:
        raise DisposalRefused(_("一份销毁清单只能包含同一部门的档案，请按部门分别建立。"),
                              "item_ids")
    return items


def _mark_due(items: list[ArchiveItem]) -> None:
    """The items become 待销毁, each only if it is still due (under the write lock): a hold or
    another list that got there first refuses the whole list."""
    ids = [item.id for item in items]
    marked = db.session.execute(
        update(ArchiveItem).where(ArchiveItem.id.in_(ids), due_condition())
        .values(state=ArchiveState.DUE).execution_options(synchronize_session=False)).rowcount
    if marked != len(ids):
        raise DisposalRefused(_("所选档案中有的刚被冻结或列入其他清单，请刷新后重新选择。"),
                              "item_ids")
    for item in items:
        db.session.refresh(item)


def create(scoped_items: Select, item_ids: list[int], appraisal: str | None,
           actor: User) -> DisposalList:
    """Drafts a disposal list of the chosen due items (visible in `scoped_items`) with the
    archivist's appraisal, and submits it for review; its items become 待销毁."""
    appraisal = _text(appraisal, "appraisal", required=False)
    items = _chosen(scoped_items, item_ids)
    _mark_due(items)
    disposal = DisposalList(
        number=numbering.series_number("XH"), department_id=items[0].department_id,
        confidentiality=max(item.confidentiality for item in items), appraisal=appraisal,
        status=DisposalStatus.REVIEW, created_by_id=actor.id, created_at=utcnow(), total=0,
        processed=0, lock_version=0)
    db.session.add(disposal)
    db.session.flush()
    db.session.add_all(DisposalEntry(disposal_id=disposal.id, item_id=item.id) for item in items)
    db.session.flush()
    approvals.submit(DISPOSAL_FLOW, disposal, actor)
    audit.record("archive_disposal_created", disposal, actor=actor, changes={
        "items": [item.archive_number for item in items], "appraisal": appraisal})
    return disposal


def _lock(disposal: DisposalList) -> None:
    """Concurrent changes of one list queue here (row lock, or SQLite's write lock) and then
    see each other's result."""
    db.session.execute(update(DisposalList).where(DisposalList.id == disposal.id)
                       .values(lock_version=DisposalList.lock_version + 1)
                       .execution_options(synchronize_session=False))
    db.session.refresh(disposal)


def keep(disposal: DisposalList, entry_id: int | None, reason: str | None, actor: User) -> None:
    """A reviewer keeps one item (保留, with a reason): it leaves the list at once and is never
    destroyed by it. Final: a kept item goes on a new list if it is to be destroyed after all.
    Refuses a list no longer open and an item kept already."""
    reason = _text(reason, "reason")
    _lock(disposal)
    if disposal.status not in OPEN:
        raise DisposalRefused(_("销毁清单已不在审批或等待期中，不能再改动。"))
    entry = db.session.get(DisposalEntry, entry_id) if entry_id else None
    if entry is None or entry.disposal_id != disposal.id:
        raise DisposalRefused(_("请选择清单中的档案。"), "entry_id")
    if entry.decision == EntryDecision.KEEP:
        raise DisposalRefused(_("该档案已决定保留。"))
    leave_list(entry)
    entry.decision, entry.keep_reason = EntryDecision.KEEP, reason
    entry.decided_by_id, entry.decided_at = actor.id, utcnow()
    item = db.session.get(ArchiveItem, entry.item_id)
    audit.record("archive_disposal_item_kept", disposal, actor=actor, changes={
        "item": item.archive_number, "reason": reason})


def abort(disposal: DisposalList, reason: str | None, actor: User) -> None:
    """Stops a list during its waiting period: nothing on it is destroyed, its items go back.
    Refuses a blank reason and any other state."""
    reason = _text(reason, "reason")
    _lock(disposal)
    if disposal.status != DisposalStatus.WAITING:
        raise DisposalRefused(_("只有等待期中的销毁清单可以中止。"))
    disposal.status, disposal.aborted_by_id = DisposalStatus.ABORTED, actor.id
    disposal.aborted_at, disposal.abort_reason = utcnow(), reason
    withdraw_entries(disposal)
    audit.record("archive_disposal_aborted", disposal, actor=actor, changes={"reason": reason})


def approval_of(disposal: DisposalList) -> ApprovalRequest | None:
    """The request that approved the list."""
    return db.session.scalar(select(ApprovalRequest).where(
        ApprovalRequest.record_type == RECORD_TYPE, ApprovalRequest.record_id == disposal.id,
        ApprovalRequest.status == RequestStatus.APPROVED).order_by(ApprovalRequest.id.desc())
        .limit(1))


def _countersign(disposal: DisposalList, actor: User) -> None:
    """The archivist's 会签: name, time, and a hash chained to the approval's last signature."""
    request = approval_of(disposal)
    at = utcnow()
    previous = request.signatures[-1].hash if request and request.signatures else ""
    payload = {"disposal": disposal.id, "number": disposal.number,
               "content_hash": request.content_hash if request else "", "prev_hash": previous,
               "signer_id": actor.id, "signer_name": actor.full_name,
               "signed_at": at.isoformat(timespec="microseconds")}
    disposal.countersigned_by_id, disposal.countersigned_at = actor.id, at
    disposal.countersign_hash = hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def pending_count(disposal: DisposalList) -> int:
    return db.session.scalar(select(func.count()).select_from(DisposalEntry).where(
        DisposalEntry.disposal_id == disposal.id, DisposalEntry.outcome == EntryOutcome.PENDING))


def start(disposal: DisposalList, actor: User, password: str) -> None:
    """Starts the execution of an approved list past its waiting period, countersigned with the
    archivist's password, or resumes an interrupted one; the caller commits, then enqueues
    execution.run. Refuses a wrong password (ApprovalError: the caller commits the count) and
    a list in any other state."""
    approvals.verify_signer(actor, password)
    _lock(disposal)
    if disposal.status in EXECUTING:
        audit.record("archive_disposal_resumed", disposal, actor=actor)
        return
    if disposal.status != DisposalStatus.WAITING:
        raise DisposalRefused(_("只有已批准的销毁清单可以执行。"))
    if utcnow() < disposal.wait_until:
        raise DisposalRefused(_("等待期尚未结束，不能执行。"))
    _countersign(disposal, actor)
    disposal.status, disposal.total = DisposalStatus.QUEUED, pending_count(disposal)
    audit.record("archive_disposal_countersigned", disposal, actor=actor, changes={
        "countersign_hash": disposal.countersign_hash, "items": disposal.total})


def executable(disposal: DisposalList) -> bool:
    """May execution start now (approved, waiting period over) or resume (interrupted)?"""
    if disposal.status in EXECUTING:
        return True
    return disposal.status == DisposalStatus.WAITING and disposal.wait_until <= utcnow()
