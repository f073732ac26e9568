"""Filed items (归档件): one frozen, sealed PDF/A copy of one signed version of a record, with
its 档号 (DA/T 22: {全宗号}-{门类}·{年度}-{保管期限}-{机构}-{件号}), fixity values and retention.

The 件号 comes from a counter per series (the 档号 without its 件号) taken in the transaction that
inserts the item, so a number is used only by a committed item; a number voided later keeps its
item and is recorded with its reason (ArchiveNumberVoid)."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
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
from app.models.base import Choice, LevelType, choice_column, utcnow


class ArchiveState(Choice):
    IN_STORE = ("in_store", _l("在库"))
    ON_LOAN = ("on_loan", _l("借出"))
    HELD = ("held", _l("冻结"))
    DUE = ("due", _l("待销毁"))
    DESTROYED = ("destroyed", _l("已销毁"))


class ArchiveLocation(Choice):
    ELECTRONIC = ("electronic", _l("电子"))
    SHELF = ("shelf", _l("实体库房"))


class ArchiveItem(db.Model):
    __tablename__ = "archive_items"
    __table_args__ = (
        UniqueConstraint("record_type", "record_id", "record_version",
                         name="uq_archive_items_record_version"),
        UniqueConstraint("series", "sequence", name="uq_archive_items_series_sequence"),
        Index("ix_archive_items_department_scope", "department_id", "id", "confidentiality"),
        Index("ix_archive_items_customer_id", "customer_id"),
        Index("ix_archive_items_expiry", "expiry_date"),
        Index("ix_archive_items_state", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    archive_number: Mapped[str] = mapped_column(String(64), unique=True)
    series: Mapped[str] = mapped_column(String(60))  # the 档号 without its 件号
    sequence: Mapped[int] = mapped_column(Integer)  # 件号
    category: Mapped[str] = mapped_column(String(8))  # 门类
    year: Mapped[int] = mapped_column(Integer)  # 年度: the year the version was signed
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    record_version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))  # of the signed snapshot
    title: Mapped[str] = mapped_column(String(200))
    business_number: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    confidentiality: Mapped[Level] = mapped_column(LevelType(Level))
    filed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    pages: Mapped[int] = mapped_column(Integer)
    retention_code: Mapped[str] = mapped_column(String(8))
    retention_years: Mapped[int | None] = mapped_column(Integer)  # None: permanent
    trigger_date: Mapped[date | None] = mapped_column(Date)  # None: the event is still ahead
    expiry_date: Mapped[date | None] = mapped_column(Date)
    location: Mapped[ArchiveLocation] = mapped_column(
        choice_column(ArchiveLocation), default=ArchiveLocation.ELECTRONIC)
    shelf_mark: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    sm3: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    storage_path: Mapped[str] = mapped_column(String(300))  # relative to ARCHIVE_ROOT
    pdfa_check: Mapped[str] = mapped_column(Text)  # JSON: each structural check and its result
    pdfa_passed: Mapped[bool] = mapped_column(Boolean)
    pdfa_checked_at: Mapped[datetime] = mapped_column(DateTime)
    last_checked_at: Mapped[datetime | None] = mapped_column(DateTime)
    state: Mapped[ArchiveState] = mapped_column(choice_column(ArchiveState),
                                                default=ArchiveState.IN_STORE)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("archive_items.id"))

    department: Mapped[Department] = relationship(lazy="raise")
    filed_by: Mapped[User] = relationship(foreign_keys=[filed_by_id], lazy="raise")
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id], lazy="raise")
    supersedes: Mapped["ArchiveItem | None"] = relationship(remote_side=[id], lazy="raise")

    def __str__(self) -> str:
        return f"{self.archive_number} {self.title}"


class ArchiveNumberVoid(db.Model):
    """A 档号 voided (filed in error): never reused, its item kept, the reason on record."""

    __tablename__ = "archive_number_voids"

    id: Mapped[int] = mapped_column(primary_key=True)
    archive_number: Mapped[str] = mapped_column(String(64), unique=True)
    series: Mapped[str] = mapped_column(String(60), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("archive_items.id"))
    reason: Mapped[str] = mapped_column(Text)
    voided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    voided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    voided_by: Mapped[User] = relationship(lazy="raise")
