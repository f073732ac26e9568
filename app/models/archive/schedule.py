"""The retention schedule's history and jobs: every change of a rule (old → new, who, when and
why; a rule added for a kind that had none has no old values), and the runs that recompute
filed items' expiry dates, after a rule changed (that record type) or every night (every type:
items whose trigger event happened or moved since)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.archive.items import ArchiveItem
from app.models.archive.retention import RetentionRule, RetentionTrigger
from app.models.base import Choice, TimestampMixin, choice_column, utcnow

# A run walks one record type's items in id order, a batch at a time.
Index("ix_archive_items_record_type_id", ArchiveItem.record_type, ArchiveItem.id)


class RetentionRunStatus(Choice):
    QUEUED = ("queued", _l("排队中"))
    RUNNING = ("running", _l("重算中"))
    DONE = ("done", _l("已完成"))
    FAILED = ("failed", _l("失败"))


class RetentionRun(TimestampMixin, db.Model):
    """One pass over filed items (those of `record_type`, or all when None) in id order and
    committed batches, resumable after `last_item_id`; `changed` counts the items whose
    retention it changed."""

    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[RetentionRunStatus] = mapped_column(
        choice_column(RetentionRunStatus), default=RetentionRunStatus.QUEUED)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    last_item_id: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class RetentionRuleChange(db.Model):
    """A saved change of the schedule, kept for good (the rule itself holds only its latest
    values): the old values are None when the change added the rule."""

    __tablename__ = "retention_rule_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("retention_rules.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    old_code: Mapped[str | None] = mapped_column(String(8))
    old_years: Mapped[int | None] = mapped_column(Integer)
    old_trigger: Mapped[RetentionTrigger | None] = mapped_column(
        choice_column(RetentionTrigger, 20))
    new_code: Mapped[str] = mapped_column(String(8))
    new_years: Mapped[int | None] = mapped_column(Integer)  # None: permanent
    new_trigger: Mapped[RetentionTrigger] = mapped_column(choice_column(RetentionTrigger, 20))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("retention_runs.id"))

    rule: Mapped[RetentionRule] = relationship(lazy="raise")
    changed_by: Mapped[User] = relationship(lazy="raise")
