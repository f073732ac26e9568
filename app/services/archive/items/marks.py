"""The 档号 on a filed record's own page (issue 13 req. 3): the record's filed items, newest
first, as the viewer's catalogue would show them (policy.scope), in one statement built once
per viewer. Registered with services.core.record_marks, so record pages show it without
importing the archive."""

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from app import policy
from app.extensions import db
from app.models.archive import ArchiveItem
from app.policy import Action
from app.services.core.notifications import Link
from app.services.core.record_marks import RecordMark
from app.services.core.viewer_statements import for_viewer


def archive_numbers(record_type: str, record_id: int, viewer) -> list[RecordMark]:
    """The record's 档号 the viewer may see, each linking to its item."""
    if not policy.can(viewer, Action.VIEW, ArchiveItem):
        return []
    items = db.session.scalars(for_viewer("archive.record_marks", viewer, lambda: policy.scope(
        select(ArchiveItem).where(ArchiveItem.record_type == bindparam("record_type"),
                                  ArchiveItem.record_id == bindparam("record_id")),
        viewer, ArchiveItem).order_by(ArchiveItem.id.desc())),
        {"record_type": record_type, "record_id": record_id})
    return [RecordMark(_("档号"), item.archive_number,
                       Link("archive.item_detail", {"item_id": item.id}), "archive-number")
            for item in items]
