"""Which items a hold covers, read from the hold itself at the time of asking: by the item, by
the item's customer, or by its record kind. An item filed after its customer or kind was held
is covered from the moment it exists, with no row to write for it."""

from sqlalchemy import ColumnElement, and_, exists, false, or_

from app.models.archive import ArchiveHold, ArchiveItem, HoldScope

ACTIVE = ArchiveHold.released_at.is_(None)


def covering(item_id: int | None, customer_id: int | None, record_type: str) -> ColumnElement:
    """The active holds that cover an item with these values (`item_id` None: one not yet
    inserted)."""
    names = [ArchiveHold.record_type == record_type]
    if item_id is not None:
        names.append(ArchiveHold.item_id == item_id)
    if customer_id is not None:
        names.append(ArchiveHold.customer_id == customer_id)
    return and_(ACTIVE, or_(*names))


def held_items() -> ColumnElement:
    """The condition, over ArchiveItem, that an active hold covers the item."""
    return exists().where(ACTIVE, or_(
        ArchiveHold.item_id == ArchiveItem.id,
        and_(ArchiveItem.customer_id.is_not(None),
             ArchiveHold.customer_id == ArchiveItem.customer_id),
        ArchiveHold.record_type == ArchiveItem.record_type))


def covered_by(hold: ArchiveHold) -> ColumnElement:
    """The condition, over ArchiveItem, that `hold` names the item."""
    if hold.scope == HoldScope.ITEM:
        return ArchiveItem.id == hold.item_id
    if hold.scope == HoldScope.CUSTOMER:
        return ArchiveItem.customer_id == hold.customer_id
    if hold.scope == HoldScope.KIND:
        return ArchiveItem.record_type == hold.record_type
    return false()
