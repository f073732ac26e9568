"""Disposal (销毁): a disposal list (销毁清单) of one department's items past their retention,
signed through the approval engine (the department's manager 审核, the GM 批准), then a waiting
period during which it can be aborted, then executed by the archivist, who countersigns (会签)
with their password. Each entry keeps the reviewers' keep/destroy decision and the outcome of
execution; destroyed entries, their items' metadata and hashes, and the list's signatures are
the permanent 销毁清册."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import Department, Level, User
from app.models.archive.items import ArchiveItem
from app.models.base import Choice, LevelType, choice_column, utcnow


class DisposalStatus(Choice):
    REVIEW = ("review", _l("审批中"))
    RETURNED = ("returned", _l("已退回"))
    WAITING = ("waiting", _l("等待期"))
    ABORTED = ("aborted", _l("已中止"))
    QUEUED = ("queued", _l("排队中"))
    RUNNING = ("running", _l("销毁中"))
    FAILED = ("failed", _l("已中断"))
    DONE = ("done", _l("已完成"))


# Approved, past the waiting period and countersigned: the job may destroy its entries.
EXECUTING = (DisposalStatus.QUEUED, DisposalStatus.RUNNING, DisposalStatus.FAILED)
# The list still holds its items (待销毁) and a reviewer may still keep one of them.
OPEN = (DisposalStatus.REVIEW, DisposalStatus.WAITING)


class EntryDecision(Choice):
    DESTROY = ("destroy", _l("销毁"))
    KEEP = ("keep", _l("保留"))


class EntryOutcome(Choice):
    PENDING = ("pending", _l("待执行"))
    DESTROYED = ("destroyed", _l("已销毁"))
    KEPT = ("kept", _l("保留"))
    SKIPPED = ("skipped", _l("未销毁"))
    WITHDRAWN = ("withdrawn", _l("已撤出"))


class DisposalList(db.Model):
    __tablename__ = "archive_disposals"
    __table_args__ = (Index("ix_archive_disposals_scope", "department_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    confidentiality: Mapped[Level] = mapped_column(LevelType(Level))  # its highest item's
    status: Mapped[DisposalStatus] = mapped_column(choice_column(DisposalStatus),
                                                   default=DisposalStatus.REVIEW)
    appraisal: Mapped[str | None] = mapped_column(Text)  # the archivist's 鉴定意见
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    wait_until: Mapped[datetime | None] = mapped_column(DateTime)
    aborted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    aborted_at: Mapped[datetime | None] = mapped_column(DateTime)
    abort_reason: Mapped[str | None] = mapped_column(Text)
    countersigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    countersigned_at: Mapped[datetime | None] = mapped_column(DateTime)
    countersign_hash: Mapped[str | None] = mapped_column(String(64))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    lock_version: Mapped[int] = mapped_column(Integer, default=0)

    department: Mapped[Department] = relationship(lazy="raise")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id], lazy="raise")
    aborted_by: Mapped[User | None] = relationship(foreign_keys=[aborted_by_id], lazy="raise")
    countersigned_by: Mapped[User | None] = relationship(foreign_keys=[countersigned_by_id],
                                                         lazy="raise")
    entries: Mapped[list["DisposalEntry"]] = relationship(
        back_populates="disposal", order_by="DisposalEntry.id", lazy="raise")

    def __str__(self) -> str:
        return self.number


class DisposalEntry(db.Model):
    __tablename__ = "archive_disposal_entries"
    __table_args__ = (
        UniqueConstraint("disposal_id", "item_id", name="uq_archive_disposal_entries_item"),
        Index("ix_archive_disposal_entries_item", "item_id"),
        Index("ix_archive_disposal_entries_outcome", "outcome", "done_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    disposal_id: Mapped[int] = mapped_column(ForeignKey("archive_disposals.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("archive_items.id"))
    decision: Mapped[EntryDecision] = mapped_column(choice_column(EntryDecision),
                                                    default=EntryDecision.DESTROY)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    keep_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[EntryOutcome] = mapped_column(choice_column(EntryOutcome),
                                                  default=EntryOutcome.PENDING)
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    # PIPL §47: the item's title and customer link were removed when it was destroyed.
    personal_data_removed: Mapped[bool] = mapped_column(Boolean, default=False)

    disposal: Mapped[DisposalList] = relationship(back_populates="entries", lazy="raise")
    item: Mapped[ArchiveItem] = relationship(lazy="raise")
    decided_by: Mapped[User | None] = relationship(lazy="raise")
