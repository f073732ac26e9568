"""Legal holds (冻结): a hold names one item, every item of one customer, or every item of one
record kind, with its reason; while it is not released nothing it covers may be destroyed
(services/archive/holds/guard.py). Coverage is read from the hold itself, so an item filed
later for a held customer or kind is covered from the moment it exists.

The item's state 冻结 is the visible mark of a hold: a hold sets it on items at rest (在库,
待销毁) and remembers the state it replaced (ArchiveHoldMark) to restore it when the last hold
covering the item is released. Items lent on paper keep 借出: the loan's state is not the
hold's to overwrite."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import Level, User
from app.models.archive.items import ArchiveItem, ArchiveState
from app.models.base import Choice, LevelType, choice_column, utcnow
from app.models.customers import Customer


class HoldScope(Choice):
    ITEM = ("item", _l("单件档案"))
    CUSTOMER = ("customer", _l("客户的全部档案"))
    KIND = ("kind", _l("一类档案"))


class ArchiveHold(db.Model):
    __tablename__ = "archive_holds"
    __table_args__ = (
        Index("ix_archive_holds_item", "item_id", "released_at"),
        Index("ix_archive_holds_customer", "customer_id", "released_at"),
        Index("ix_archive_holds_kind", "record_type", "released_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[HoldScope] = mapped_column(choice_column(HoldScope))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("archive_items.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    record_type: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    # The level of what the hold names (the item's, the customer's; 公开 for a kind): a hold on
    # a record above the viewer's clearance does not exist for them.
    confidentiality: Mapped[Level] = mapped_column(LevelType(Level))
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    placed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[datetime | None] = mapped_column(DateTime)
    release_reason: Mapped[str | None] = mapped_column(Text)

    item: Mapped[ArchiveItem | None] = relationship(lazy="raise")
    customer: Mapped[Customer | None] = relationship(lazy="raise")
    placed_by: Mapped[User] = relationship(foreign_keys=[placed_by_id], lazy="raise")
    released_by: Mapped[User | None] = relationship(foreign_keys=[released_by_id], lazy="raise")

    @property
    def active(self) -> bool:
        return self.released_at is None

    def __str__(self) -> str:
        return f"#{self.id} {self.scope.label}"


class ArchiveHoldMark(db.Model):
    """An item that holds marked 冻结, and the state its release restores."""

    __tablename__ = "archive_hold_marks"

    item_id: Mapped[int] = mapped_column(ForeignKey("archive_items.id"), primary_key=True)
    previous_state: Mapped[ArchiveState] = mapped_column(choice_column(ArchiveState))
    marked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
