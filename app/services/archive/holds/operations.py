"""Placing and releasing legal holds, audited. A hold names one item, a customer (every item of
theirs, those filed later included) or a record kind (likewise); it needs a reason, and so does
its release. Who may do either, and on what, is the policy's (policy/archive/holds.py) and the
view's loaders' (an item or customer above the user's clearance is 404)."""

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.extensions import db
from app.models import Customer, Level, User
from app.models.archive import ArchiveHold, ArchiveItem, ArchiveState, HoldScope
from app.models.base import utcnow
from app.services.archive.holds import marks
from app.services.archive.holds.coverage import ACTIVE, covered_by
from app.services.core import audit
from app.services.core.errors import Refused
from app.services.core.record_kinds import filing_types

REASON_MAX = 1000
Target = ArchiveItem | Customer | str  # an item, a customer, or a record type


class HoldRefused(Refused):
    """A hold cannot be placed or released as asked."""


def _reason(text: str | None, field: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise HoldRefused(_("请填写原因。"), field)
    if len(reason) > REASON_MAX:
        raise HoldRefused(_("原因不能超过 %(max)d 个字。", max=REASON_MAX), field)
    return reason


def _hold_for(target: Target) -> ArchiveHold:
    """A new hold naming the target, at the target's level (a kind names no record: 公开)."""
    if isinstance(target, ArchiveItem):
        if target.state == ArchiveState.DESTROYED:
            raise HoldRefused(_("该档案已销毁，无需冻结。"))
        return ArchiveHold(scope=HoldScope.ITEM, item_id=target.id,
                           confidentiality=target.confidentiality)
    if isinstance(target, Customer):
        return ArchiveHold(scope=HoldScope.CUSTOMER, customer_id=target.id,
                           confidentiality=target.confidentiality)
    if target not in filing_types():
        raise HoldRefused(_("请选择可归档的档案类别。"), "record_type")
    return ArchiveHold(scope=HoldScope.KIND, record_type=target, confidentiality=Level.PUBLIC)


def _same_hold(hold: ArchiveHold) -> ArchiveHold | None:
    """An active hold naming the same target."""
    return db.session.scalar(select(ArchiveHold).where(
        ACTIVE, ArchiveHold.scope == hold.scope, ArchiveHold.item_id == hold.item_id,
        ArchiveHold.customer_id == hold.customer_id,
        ArchiveHold.record_type == hold.record_type).limit(1))


def target_label(target: Target) -> str:
    """What the audit trail names: the 档号, the customer's number (not their name: it may be
    a person's), or the record type."""
    if isinstance(target, ArchiveItem):
        return target.archive_number
    if isinstance(target, Customer):
        return target.number
    return target


def place(target: Target, reason: str | None, actor: User) -> ArchiveHold:
    """Holds the target: every item it covers now or later cannot be destroyed; those at rest
    become 冻结. Refuses a blank reason, a destroyed item, an unknown kind and a target that
    an active hold names already."""
    reason = _reason(reason, "reason")
    hold = _hold_for(target)
    found = _same_hold(hold)
    if found is not None:
        raise HoldRefused(_("已有针对同一对象的冻结（#%(id)d），无需重复冻结。", id=found.id))
    hold.reason, hold.placed_by_id, hold.placed_at = reason, actor.id, utcnow()
    db.session.add(hold)
    db.session.flush()
    frozen = marks.freeze(covered_by(hold))
    audit.record("archive_hold_placed", hold, actor=actor, changes={
        "scope": hold.scope, "target": target_label(target), "reason": reason,
        "frozen": frozen})
    return hold


def _lock(hold: ArchiveHold) -> None:
    """Concurrent releases of one hold queue here, then see each other's result."""
    db.session.execute(update(ArchiveHold).where(ArchiveHold.id == hold.id)
                       .values(reason=ArchiveHold.reason)
                       .execution_options(synchronize_session=False))
    db.session.refresh(hold)


def release(hold: ArchiveHold, reason: str | None, actor: User) -> int:
    """Releases the hold; the items no other hold covers get back the state it replaced.
    Returns how many did; refuses a blank reason and a hold released already."""
    reason = _reason(reason, "release_reason")
    _lock(hold)
    if not hold.active:
        raise HoldRefused(_("该冻结已经解除。"))
    hold.released_at, hold.released_by_id, hold.release_reason = utcnow(), actor.id, reason
    db.session.flush()
    thawed = marks.thaw(covered_by(hold))
    audit.record("archive_hold_released", hold, actor=actor, changes={
        "reason": reason, "thawed": thawed})
    return thawed
