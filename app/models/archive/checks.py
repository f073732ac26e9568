"""The four-property check (四性检测, DA/T 70): its scheme and its runs.

A scheme is versioned: saving it makes a new version (ArchiveCheckScheme with one row per check
item: its dimension, whether a failure blocks, whether it runs), never an edit, so a report
always names the scheme it was checked against. A run walks its items in id order and commits
its progress with each chunk (resumable from `last_item_id`); it keeps a result row only for an
item that did not pass, and the tallies per check item, so that a report over 100,000 items
stays small."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
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


class CheckDimension(Choice):
    AUTHENTICITY = ("authenticity", _l("真实性"))
    INTEGRITY = ("integrity", _l("完整性"))
    USABILITY = ("usability", _l("可用性"))
    SECURITY = ("security", _l("安全性"))


class CheckScope(Choice):
    ALL = ("all", _l("全部档案"))
    DEPARTMENT = ("department", _l("按部门"))
    KIND = ("kind", _l("按记录类型"))
    PERIOD = ("period", _l("按归档期间"))
    SELECTION = ("selection", _l("选定档案"))


class CheckRunStatus(Choice):
    QUEUED = ("queued", _l("排队中"))
    RUNNING = ("running", _l("检测中"))
    DONE = ("done", _l("已完成"))
    FAILED = ("failed", _l("中断"))


class CheckOutcome(Choice):
    PASSED = ("passed", _l("通过"))
    WARNING = ("warning", _l("警告"))
    FAILED = ("failed", _l("不通过"))


class CheckTrigger(Choice):
    PAGE = ("page", _l("页面发起"))
    COMMAND = ("command", _l("命令行"))


class ArchiveCheckScheme(db.Model):
    __tablename__ = "archive_check_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship(lazy="raise")
    rows: Mapped[list["ArchiveCheckSchemeRow"]] = relationship(
        order_by="ArchiveCheckSchemeRow.position", lazy="selectin")

    def __str__(self) -> str:
        return f"四性检测方案 v{self.version}"


class ArchiveCheckSchemeRow(db.Model):
    __tablename__ = "archive_check_scheme_rows"
    __table_args__ = (UniqueConstraint("scheme_id", "code",
                                       name="uq_archive_check_scheme_rows_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("archive_check_schemes.id"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))  # services/archive/checks/scheme.CHECKS
    dimension: Mapped[CheckDimension] = mapped_column(choice_column(CheckDimension))
    blocking: Mapped[bool] = mapped_column(Boolean)
    enabled: Mapped[bool] = mapped_column(Boolean)


class ArchiveCheckRun(db.Model):
    __tablename__ = "archive_check_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("archive_check_schemes.id"))
    trigger: Mapped[CheckTrigger] = mapped_column(choice_column(CheckTrigger))
    scope: Mapped[CheckScope] = mapped_column(choice_column(CheckScope))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    record_type: Mapped[str | None] = mapped_column(String(40))
    filed_from: Mapped[date | None] = mapped_column(Date)
    filed_to: Mapped[date | None] = mapped_column(Date)
    selection: Mapped[str | None] = mapped_column(Text)  # JSON: the chosen items' ids
    # Items above this level are not in the run: the requester's clearance.
    max_level: Mapped[Level] = mapped_column(LevelType(Level))
    status: Mapped[CheckRunStatus] = mapped_column(choice_column(CheckRunStatus),
                                                   default=CheckRunStatus.QUEUED)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    passed: Mapped[int] = mapped_column(Integer, default=0)
    warned: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    last_item_id: Mapped[int] = mapped_column(Integer, default=0)
    tallies: Mapped[str] = mapped_column(Text, default="{}")  # JSON: check code → failures
    findings: Mapped[str] = mapped_column(Text, default="[]")  # JSON: archive-wide findings
    conclusion: Mapped[CheckOutcome | None] = mapped_column(choice_column(CheckOutcome))
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)  # each committed chunk
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_hash: Mapped[str | None] = mapped_column(String(64))  # the report content signed

    scheme: Mapped[ArchiveCheckScheme] = relationship(lazy="raise")
    department: Mapped[Department | None] = relationship(lazy="raise")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id],
                                                     lazy="raise")
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id], lazy="raise")

    def __str__(self) -> str:
        return f"四性检测 #{self.id}"


class ArchiveCheckResult(db.Model):
    """One item that did not pass a run: its outcome and each failed check (JSON list of
    [code, detail])."""

    __tablename__ = "archive_check_results"
    __table_args__ = (UniqueConstraint("run_id", "item_id",
                                       name="uq_archive_check_results_run_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("archive_check_runs.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("archive_items.id"))
    outcome: Mapped[CheckOutcome] = mapped_column(choice_column(CheckOutcome))
    problems: Mapped[str] = mapped_column(Text)

    item: Mapped[ArchiveItem] = relationship(lazy="raise")
