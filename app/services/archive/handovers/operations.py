"""A department submits a handover list (归档移交单) of its signed records; the archivist accepts
lines (a filing run then files them) or rejects them with a reason. Deciding acts only on
lines still waiting, within the archivist's clearance, so that posting a decision twice changes
nothing the second time. Every step is audited, at the level of the records it names."""

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.extensions import db
from app.models import Level, User
from app.models.archive import (
    ArchiveFilingRun,
    ArchiveHandover,
    ArchiveHandoverLine,
    HandoverLineStatus,
    HandoverSource,
)
from app.models.base import utcnow
from app.policy import Action
from app.services.archive.handovers import eligible
from app.services.core import audit
from app.services.core.errors import Refused
from app.services.core.numbering import series_number
from app.services.core.record_kinds import filing_types

MAX_LINES = 500
REASON_CHARS = 500


class HandoverRefused(Refused):
    """A list or a decision that cannot be made as asked; nothing was changed."""


def submit(user: User, picks: list[tuple[str, int]], note: str | None = None) -> ArchiveHandover:
    """A new list of the user's department naming the picked records (kind, id) at their latest
    signed version; refuses an empty or oversized pick, a kind that is not filed, and any record
    the picker would not offer the user (another department's, above their clearance, unsigned,
    filed, or on another open list)."""
    if not picks:
        raise HandoverRefused(_("请至少选择一条要移交的记录。"), field="record_id")
    if len(picks) > MAX_LINES:
        raise HandoverRefused(_("一张移交单最多 %(n)d 条记录，请分批移交。", n=MAX_LINES),
                              field="record_id")
    candidates = []
    for record_type, ids in _by_kind(picks).items():
        if record_type not in filing_types():
            raise HandoverRefused(_("该类记录不能归档。"), field="record_kind")
        found = eligible.offered(user, record_type, ids, limit=len(ids))
        if len(found) != len(ids):
            raise HandoverRefused(_("所选记录中有不存在、尚未审批生效、已经归档或已在其他移交单中的"
                                    "记录，请重新选择。"), field="record_id")
        order = {record_id: i for i, record_id in enumerate(ids)}
        candidates.extend(sorted(found, key=lambda c: order[c.record_id]))  # as picked
    handover = ArchiveHandover(number=series_number("YJ"), department_id=user.department_id,
                               source=HandoverSource.DEPARTMENT, submitted_by_id=user.id,
                               note=note or None)
    db.session.add(handover)
    db.session.flush()
    add_lines(handover, candidates)
    audit.record("archive_handover_submitted", handover, actor=user,
                 changes={"lines": len(candidates),
                          "records": [c.business_number for c in candidates]},
                 level=_highest(c.level for c in candidates))
    return handover


def _by_kind(picks: list[tuple[str, int]]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for record_type, record_id in dict.fromkeys(picks):
        grouped[record_type].append(record_id)
    return grouped


def add_lines(handover: ArchiveHandover, candidates) -> list[ArchiveHandoverLine]:
    """One line per candidate; a version filed already is marked so at once (with its item)."""
    lines = []
    for c in candidates:
        line = ArchiveHandoverLine(
            handover_id=handover.id, record_type=c.record_type, record_id=c.record_id,
            record_version=c.version, title=c.title, business_number=c.business_number,
            confidentiality=c.level, signed_at=c.signed_at, item_id=c.filed_item_id,
            status=(HandoverLineStatus.ALREADY_FILED if c.filed_item_id
                    else HandoverLineStatus.PENDING))
        db.session.add(line)
        lines.append(line)
    db.session.flush()
    return lines


def waiting_lines(handover: ArchiveHandover, line_ids: list[int] | None,
                  archivist: User) -> list[ArchiveHandoverLine]:
    """The list's lines still waiting for a decision that the archivist may decide (within
    their clearance): those of `line_ids`, or all of them when None."""
    query = select(ArchiveHandoverLine).where(
        ArchiveHandoverLine.handover_id == handover.id,
        ArchiveHandoverLine.status == HandoverLineStatus.PENDING)
    if line_ids is not None:
        query = query.where(ArchiveHandoverLine.id.in_(line_ids))
    scoped = policy.scope(query, archivist, ArchiveHandoverLine, Action.MANAGE)
    return list(db.session.scalars(scoped.order_by(ArchiveHandoverLine.id)))


def accept(handover: ArchiveHandover, line_ids: list[int] | None, archivist: User,
           run: ArchiveFilingRun | None = None) -> ArchiveFilingRun | None:
    """Accepts the chosen waiting lines (all when None) and gives them to `run`, or to a new
    filing run of the list, which the caller enqueues after its commit; None when none of
    them was still waiting (a second post)."""
    lines = waiting_lines(handover, line_ids, archivist)
    if not lines:
        return None
    if run is None:
        run = ArchiveFilingRun(handover_id=handover.id, requested_by_id=archivist.id,
                               receiver_id=archivist.id)
        db.session.add(run)
        db.session.flush()
    now = utcnow()
    for line in lines:
        line.status, line.run_id = HandoverLineStatus.ACCEPTED, run.id
        line.decided_by_id, line.decided_at = archivist.id, now
    audit.record("archive_handover_accepted", handover, actor=archivist,
                 changes={"lines": len(lines), "records": [x.business_number for x in lines]},
                 level=_highest(x.confidentiality for x in lines))
    return run


def reject(handover: ArchiveHandover, line_ids: list[int], reason: str,
           archivist: User) -> int:
    """Sends the chosen waiting lines back to the department with the reason (required);
    returns how many were still waiting."""
    reason = (reason or "").strip()
    if not reason:
        raise HandoverRefused(_("退回必须填写原因。"), field="reason")
    if len(reason) > REASON_CHARS:
        raise HandoverRefused(_("原因不能超过 %(n)d 个字。", n=REASON_CHARS), field="reason")
    lines = waiting_lines(handover, line_ids, archivist)
    now = utcnow()
    for line in lines:
        line.status, line.reason = HandoverLineStatus.REJECTED, reason
        line.decided_by_id, line.decided_at = archivist.id, now
    if lines:
        audit.record("archive_handover_rejected", handover, actor=archivist,
                     changes={"reason": reason, "lines": len(lines),
                              "records": [x.business_number for x in lines]},
                     level=_highest(x.confidentiality for x in lines))
    return len(lines)


def _highest(levels) -> Level | None:
    """The level of an event naming these records (None when it names none)."""
    return max(levels, default=None)
