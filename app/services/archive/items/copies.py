"""Serving a filed item's frozen copy (req 10): the stored bytes, never rendered again, with a
watermark stamped over every page as they leave (pikepdf overlay): the viewer's name, employee
number and the time, and the level mark when the item's level requires one (秘密 and up, as
every print). The stored file is only read. Each view and download is audited with the item.

The overlay is typeset once per request (or once per level for a batch) and the copy keeps
its own pages, fonts and 档号 header; the stamped copy no longer matches the archive seal's
signature, which is right: the seal attests the stored copy, and the four-property check reads
that one."""

from dataclasses import dataclass
from io import BytesIO

import pikepdf
from flask_babel import gettext as _

from app.models import Level, User
from app.models.archive import ArchiveItem, ArchiveState
from app.models.base import utcnow
from app.services.archive import store
from app.services.core import audit
from app.services.core.errors import Refused
from app.services.core.pdf import WATERMARK_FROM, Printed, render
from app.timeutil import to_local


class CopyUnavailable(Refused):
    """The item has no content to serve: destroyed, or its stored file is missing."""


@dataclass(frozen=True)
class Viewer:
    """Who the watermark names, and when (one moment for a whole batch)."""

    name: str
    employee_no: str
    at: str

    @classmethod
    def of(cls, user: User) -> "Viewer":
        return cls(user.full_name, user.employee_no,
                   to_local(utcnow()).strftime("%Y-%m-%d %H:%M"))

    def text(self, level: Level) -> str:
        """The watermark's words; the level mark first when the level requires one."""
        words = f"{self.name} · {self.employee_no} · {self.at}"
        return f"{level.label} · {words}" if level >= WATERMARK_FROM else words


def overlay(viewer: Viewer, level: Level) -> bytes:
    """The one-page watermark overlay (pdf/archive/watermark.html), transparent but its text."""
    return render("pdf/archive/watermark.html", text=viewer.text(level))


def stored_copy(item: ArchiveItem) -> bytes:
    """The frozen copy's bytes as stored; refused when the content is gone."""
    if item.state == ArchiveState.DESTROYED:
        raise CopyUnavailable(_("该档案已销毁，电子副本已删除，仅保留目录信息。"))
    try:
        return store.read(item.storage_path)
    except FileNotFoundError:
        raise CopyUnavailable(_("该档案的电子副本缺失，请联系档案室核查（四性检测）。")) from None


def stamp(pages: pikepdf.Pdf, mark: bytes) -> None:
    """Lays the overlay's page over every page of `pages` (fitted to each page's box)."""
    with pikepdf.open(BytesIO(mark)) as watermark:
        for page in pages.pages:
            page.add_overlay(watermark.pages[0])


def stamped(data: bytes, mark: bytes) -> bytes:
    """The copy with the overlay on every page, as new bytes (the input stays as it was)."""
    with pikepdf.open(BytesIO(data)) as pdf:
        stamp(pdf, mark)
        out = BytesIO()
        pdf.save(out)
        return out.getvalue()


def served_copy(item: ArchiveItem, user: User, *, download: bool) -> Printed:
    """The watermarked copy for `user` to read (inline) or take (download), audited in the
    caller's transaction; the caller has checked READ_CONTENT or PRINT."""
    data = stamped(stored_copy(item), overlay(Viewer.of(user), item.confidentiality))
    printed = Printed(data, f"{item.archive_number}.pdf", f"archive-{item.id}.pdf")
    action = "archive_copy_downloaded" if download else "archive_copy_viewed"
    audit.record(action, item, actor=user,
                 changes={"archive_number": item.archive_number, "sha256": item.sha256})
    return printed


class Overlays:
    """The overlays of one batch (one viewer, one moment): one per level mark, typeset on
    first use."""

    def __init__(self, user: User):
        self.viewer, self._made = Viewer.of(user), {}

    def __call__(self, level: Level) -> bytes:
        key = level if level >= WATERMARK_FROM else None
        if key not in self._made:
            self._made[key] = overlay(self.viewer, level)
        return self._made[key]
