"""The 档号 on a filed record's own page (issue 13 req. 3): the record's filed items, newest
first, as the viewer's catalogue would show them (policy.scope), in one statement. Registered
with services.core.record_marks, so record pages show it without importing the archive."""

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.extensions import db
from app.models.archive import ArchiveItem
from app.policy import Action
from app.services.core.notifications import Link
from app.services.core.record_marks import RecordMark


def archive_numbers(record_type: str, record_id: int, viewer) -> list[RecordMark]:
    """The record's 档号 the viewer may see, each linking to its item."""
    if not policy.can(viewer, Action.VIEW, ArchiveItem):
        return []
    items = db.session.scalars(policy.scope(
        select(ArchiveItem).where(ArchiveItem.record_type == record_type,
                                  ArchiveItem.record_id == record_id),
        viewer, ArchiveItem).order_by(ArchiveItem.id.desc()))
    return [RecordMark(_("档号"), item.archive_number,
                       Link("archive.item_detail", {"item_id": item.id}), "archive-number")
            for item in items]
