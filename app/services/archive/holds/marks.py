"""The state 冻结: what people see of a hold on the items it covers.

A hold marks the items at rest (在库, 待销毁) that it covers as 冻结 and remembers the state each
had (ArchiveHoldMark); when the last hold covering an item is released, the item gets that state
back. An item out on a paper loan keeps 借出 (the loan's state, not the hold's to overwrite) and
becomes 冻结 when it comes back; an item filed for a held customer or kind starts 冻结. Both
follow the item's own write (mapper events, as the catalogue's index does), whichever path
makes it. The state is only the sign: the guard reads the holds themselves."""

from sqlalchemy import ColumnElement, delete, event, exists, insert, select, update
from sqlalchemy.orm import attributes

from app.extensions import db
from app.models.archive import ArchiveHoldMark, ArchiveItem, ArchiveState
from app.models.base import utcnow
from app.services.archive.holds.coverage import covering, held_items

AT_REST = (ArchiveState.IN_STORE, ArchiveState.DUE)
CHUNK = 500


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def freeze(covered: ColumnElement) -> int:
    """Marks the items at rest that `covered` (a condition over ArchiveItem) selects as 冻结,
    remembering their state; returns how many. Their rows stay locked until the commit."""
    rows = db.session.execute(select(ArchiveItem.id, ArchiveItem.state)
                              .where(covered, ArchiveItem.state.in_(AT_REST))
                              .order_by(ArchiveItem.id).with_for_update()).all()
    now = utcnow()
    for ids in _chunks([row.id for row in rows]):
        db.session.execute(delete(ArchiveHoldMark).where(ArchiveHoldMark.item_id.in_(ids)))
        db.session.execute(update(ArchiveItem).where(ArchiveItem.id.in_(ids))
                           .values(state=ArchiveState.HELD)
                           .execution_options(synchronize_session=False))
    if rows:
        db.session.execute(insert(ArchiveHoldMark), [
            {"item_id": row.id, "previous_state": row.state, "marked_at": now} for row in rows])
    return len(rows)


def thaw(covered: ColumnElement) -> int:
    """After a release: the items `covered` selects that no active hold covers any more get
    their remembered state back (在库 when none was remembered); returns how many."""
    rows = db.session.execute(
        select(ArchiveItem.id, ArchiveItem.state, ArchiveHoldMark.previous_state)
        .outerjoin(ArchiveHoldMark, ArchiveHoldMark.item_id == ArchiveItem.id)
        .where(covered, ~held_items(),
               (ArchiveItem.state == ArchiveState.HELD) | ArchiveHoldMark.item_id.is_not(None))
        .order_by(ArchiveItem.id).with_for_update(of=ArchiveItem)).all()
    for state in AT_REST:
        restored = [row.id for row in rows if row.state == ArchiveState.HELD
                    and (row.previous_state or ArchiveState.IN_STORE) == state]
        for ids in _chunks(restored):
            db.session.execute(update(ArchiveItem).where(ArchiveItem.id.in_(ids))
                               .values(state=state)
                               .execution_options(synchronize_session=False))
    for ids in _chunks([row.id for row in rows]):
        db.session.execute(delete(ArchiveHoldMark).where(ArchiveHoldMark.item_id.in_(ids)))
    return sum(row.state == ArchiveState.HELD for row in rows)


def settle(item: ArchiveItem, state: ArchiveState) -> None:
    """Puts an item at rest in `state` (在库 or 待销毁); while holds keep it 冻结, `state` is what
    their release restores."""
    if item.state != ArchiveState.HELD:
        item.state = state
        return
    mark = db.session.get(ArchiveHoldMark, item.id)
    if mark is None:
        db.session.add(ArchiveHoldMark(item_id=item.id, previous_state=state))
    else:
        mark.previous_state = state


def _covered(connection, item: ArchiveItem) -> bool:
    return bool(connection.scalar(select(exists().where(
        covering(item.id, item.customer_id, item.record_type)))))


@event.listens_for(ArchiveItem, "before_insert")
def _filed_under_hold(_mapper, connection, item: ArchiveItem) -> None:
    """An item filed for a held customer or kind starts 冻结 (its release restores 在库)."""
    if item.state in (None, ArchiveState.IN_STORE) and _covered(connection, item):
        item.state = ArchiveState.HELD


@event.listens_for(ArchiveItem, "before_update")
def _returned_under_hold(_mapper, connection, item: ArchiveItem) -> None:
    """A paper loan's item coming back 在库 while a hold covers it becomes 冻结."""
    history = attributes.get_history(item, "state")
    if (history.deleted == [ArchiveState.ON_LOAN] and item.state == ArchiveState.IN_STORE
            and _covered(connection, item)):
        item.state = ArchiveState.HELD
