"""A disposal list as the approval engine signs it (flow "archive.disposal": the manager of the
items' department 审核, the GM 批准). The signed snapshot names each item by what never changes
about it (id, 档号, kind, business number, SHA-256), not by its title: a title may name a
person, and the snapshot outlives the erasure of personal data at destruction. Reviewers'
keep decisions are not part of it either: keeping only withholds, and the card shows them."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest, Department, Level
from app.models.archive import ArchiveItem, DisposalEntry, DisposalList, DisposalStatus
from app.models.base import utcnow
from app.services.archive.disposals.entries import withdraw_entries
from app.services.core.notifications import Link

DISPOSAL_FLOW = "archive.disposal"
RECORD_TYPE = "DisposalList"


def wait_days() -> int:
    """The waiting period after approval, in days (ARCHIVE_DISPOSAL_WAIT_DAYS, default 7)."""
    return current_app.config["ARCHIVE_DISPOSAL_WAIT_DAYS"]


def entry_items(disposal_id: int) -> list[tuple[DisposalEntry, ArchiveItem]]:
    """The list's entries with their items, in the list's order."""
    return list(db.session.execute(
        select(DisposalEntry, ArchiveItem)
        .join(ArchiveItem, ArchiveItem.id == DisposalEntry.item_id)
        .where(DisposalEntry.disposal_id == disposal_id).order_by(DisposalEntry.id)).tuples())


def snapshot_of(disposal: DisposalList) -> dict:
    items = [{"item": item.id, "archive_number": item.archive_number,
              "record_type": item.record_type, "business_number": item.business_number,
              "sha256": item.sha256} for _entry, item in entry_items(disposal.id)]
    return {"record": RECORD_TYPE, "id": disposal.id, "number": disposal.number,
            "department_id": disposal.department_id, "appraisal": disposal.appraisal or "",
            "items": items}


class DisposalKind:
    """Approved, the list waits ARCHIVE_DISPOSAL_WAIT_DAYS before the archivist may execute
    it; rejected or withdrawn, its items leave it (entries.withdraw_entries)."""

    record_type = RECORD_TYPE

    def load(self, record_id: int) -> DisposalList | None:
        return db.session.get(DisposalList, record_id)

    def subject(self, disposal: DisposalList) -> DisposalList:
        return disposal

    def snapshot(self, disposal: DisposalList) -> dict:
        return snapshot_of(disposal)

    def department_id(self, disposal: DisposalList) -> int:
        return disposal.department_id

    def level(self, disposal: DisposalList) -> Level:
        return disposal.confidentiality

    def title(self, disposal: DisposalList) -> str:
        department = db.session.get(Department, disposal.department_id)
        return _("档案销毁清单 %(number)s（%(department)s）", number=disposal.number,
                 department=department.label if department else "")

    def link(self, disposal: DisposalList) -> Link:
        return Link("archive.disposal_detail", {"disposal_id": disposal.id})

    def numbers(self, disposal: DisposalList) -> dict:
        return {}

    def submitted(self, disposal: DisposalList, request: ApprovalRequest) -> None:
        disposal.status = DisposalStatus.REVIEW

    def approved(self, disposal: DisposalList, request: ApprovalRequest) -> None:
        disposal.status, disposal.approved_at = DisposalStatus.WAITING, utcnow()
        disposal.wait_until = disposal.approved_at + timedelta(days=wait_days())

    def returned(self, disposal: DisposalList, request: ApprovalRequest) -> None:
        disposal.status = DisposalStatus.RETURNED
        withdraw_entries(disposal)
