"""The catalogue's own tables: the search index of filed items' titles and the archivist's
batch print jobs; and the indexes the catalogue's search and filters need on archive_items.

The title index is a table of its own (one row per item, written in the item's transaction by
services/archive/items/index.py) so that the filed item itself, frozen by the filing core,
carries nothing the catalogue alone needs. Its search_text holds the Chinese search tokens
(services/core/search): an FTS5 table on SQLite, a GIN-indexed tsvector on PostgreSQL."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.archive.items import ArchiveItem
from app.models.base import Choice, SearchTokens, choice_column, utcnow

# 业务编号 searched by its beginning (a contract's or customer's number), as the 档号 is by
# archive_items' unique index.
Index("ix_archive_items_business_number", ArchiveItem.business_number)


class ArchiveItemSearch(db.Model):
    """An item's title as the catalogue searches it (substring, Chinese; see core/search)."""

    __tablename__ = "archive_item_search"

    id: Mapped[int] = mapped_column(
        ForeignKey("archive_items.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    title: Mapped[str] = mapped_column(String(200))
    search_text: Mapped[list[str] | None] = mapped_column(SearchTokens, deferred=True)

    SEARCH_FIELDS = ("title",)


class PrintStatus(Choice):
    QUEUED = ("queued", _l("排队中"))
    RUNNING = ("running", _l("打印中"))
    DONE = ("done", _l("已完成"))
    FAILED = ("failed", _l("失败"))


class PrintFormat(Choice):
    PDF = ("pdf", _l("合并为一个 PDF"))
    ZIP = ("zip", _l("每件一个 PDF（zip）"))


class ArchivePrintJob(db.Model):
    """A batch print (req 10): the watermarked frozen copies of the chosen items, as one PDF or
    a zip, made by a background job for the archivist who asked. The result is kept in the
    row, so that whichever web node serves the download has it."""

    __tablename__ = "archive_print_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    format: Mapped[PrintFormat] = mapped_column(choice_column(PrintFormat))
    item_ids: Mapped[str] = mapped_column(Text)  # JSON list, in the order chosen
    status: Mapped[PrintStatus] = mapped_column(choice_column(PrintStatus),
                                                default=PrintStatus.QUEUED)
    total: Mapped[int] = mapped_column(Integer)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    skipped: Mapped[str | None] = mapped_column(Text)  # items left out, each with why
    result: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    requested_by: Mapped[User] = relationship(lazy="raise")

    def __str__(self) -> str:
        return f"#{self.id}"
