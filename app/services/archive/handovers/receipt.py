"""Receiving one accepted line: the record is filed (services.archive.filing, which commits)
as the department handed it over and the archivist received it, then its stored copy is
checked at receipt (the four-property check's item checks under the current scheme:
hashes, seal, signatures, metadata, PDF/A). A copy that fails the check is filed
all the same (filing is all or nothing and already committed) but the line says so, with the
problems, and the audit trail records it: a failing item is reported, never silently taken.

The line is written after filing, in its own commit; a crash in between leaves it accepted,
and the resumed run finds its item (filing is idempotent) and completes it."""

from flask_babel import gettext as _

from app.extensions import db
from app.models import User
from app.models.archive import ArchiveHandover, ArchiveHandoverLine, HandoverLineStatus
from app.services.approvals.signatures import latest_version
from app.services.archive.checks import check_item
from app.services.archive.filing import file_record, filed_item
from app.services.core import audit
from app.services.core.errors import Refused


def receive(line_id: int, receiver: User) -> HandoverLineStatus | None:
    """Files and checks an accepted line and commits what became of it; None for a line that
    is no longer accepted (received already)."""
    line = db.session.get(ArchiveHandoverLine, line_id)
    if line is None or line.status != HandoverLineStatus.ACCEPTED:
        return None
    earlier = filed_item(line.record_type, line.record_id, line.record_version)
    if earlier is not None and earlier.filed_at < line.decided_at:
        _settle(line_id, HandoverLineStatus.ALREADY_FILED, item_id=earlier.id)
        return HandoverLineStatus.ALREADY_FILED
    latest = latest_version(line.record_type, line.record_id)
    if latest is None or latest.number != line.record_version:
        return _refuse(line_id, receiver, _(
            "移交后记录有了新的审批版本，本单所列版本不再归档；请将新版本另行移交。"))
    handover = db.session.get(ArchiveHandover, line.handover_id)
    filer = db.session.get(User, handover.submitted_by_id) if handover.submitted_by_id else None
    try:
        item = file_record(line.record_type, line.record_id, filer or receiver, receiver)
    except Refused as refusal:
        return _refuse(line_id, receiver, refusal.message)
    return _check(line_id, item, receiver)


def _check(line_id: int, item, receiver: User) -> HandoverLineStatus:
    """The receipt check of a filed item; the line FILED, or CHECK_FAILED with the problems."""
    result = check_item(item)
    problems = result.problems()
    status = HandoverLineStatus.FILED if result.ok else HandoverLineStatus.CHECK_FAILED
    reason = None if result.ok else "; ".join(problems)[:2000]
    audit.record("archive_receipt_checked" if result.ok else "archive_receipt_check_failed",
                 item, actor=receiver, changes={"problems": problems})
    _settle(line_id, status, item_id=item.id, reason=reason)
    return status


def _refuse(line_id: int, receiver: User, reason: str) -> HandoverLineStatus:
    """A line that cannot be filed: REFUSED with the reason, audited on its list."""
    db.session.rollback()
    line = db.session.get(ArchiveHandoverLine, line_id)
    handover = db.session.get(ArchiveHandover, line.handover_id)
    audit.record("archive_filing_refused", handover, actor=receiver,
                 changes={"record": line.business_number, "reason": reason},
                 level=line.confidentiality)
    _settle(line_id, HandoverLineStatus.REFUSED, reason=reason)
    return HandoverLineStatus.REFUSED


def _settle(line_id: int, status: HandoverLineStatus, *, item_id: int | None = None,
            reason: str | None = None) -> None:
    line = db.session.get(ArchiveHandoverLine, line_id)
    line.status, line.item_id, line.reason = status, item_id, reason
    db.session.commit()
