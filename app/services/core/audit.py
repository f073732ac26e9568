"""Append to and verify the hash-chained audit trail."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select, update

from app.extensions import client_address, db
from app.models import AuditEvent, AuditHead, Level
from app.models.audit import GENESIS_HASH, HASH_VERSION
from app.models.base import utcnow
from app.services.core import record_kinds

CHANGED = "changed"


def canonical_json(data) -> str:
    """One byte-exact JSON form for hashing and storage."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=plain_value)


def plain_value(value):
    """Enums, dates and other values as JSON scalars."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _payload(event: AuditEvent) -> str:
    """What the row's hash covers, as of the version the row was written with."""
    fields = {
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "changes": event.changes,
        "ip": event.ip,
    }
    if event.hash_version >= 2:
        fields["object_level"] = int(event.object_level) if event.object_level else None
    return canonical_json(fields)


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(f"{prev_hash}\n{_payload(event)}".encode()).hexdigest()


def field_changes(before: dict, after: dict, pii_fields=()) -> dict:
    """{field: [old, new]} for changed fields; personal data only as "changed"."""
    changes = {}
    for field, new in after.items():
        old = before.get(field)
        if _comparable(old) != _comparable(new):
            changes[field] = CHANGED if field in pii_fields else [old, new]
    return changes


def _comparable(value):
    return None if value in (None, "") else plain_value(value)


def level_of(obj) -> Level | None:
    """The confidentiality of what an event is about: the record's own, its customer's (a
    contact), or what its record kind says (a change request); None for what has none."""
    if obj is None:
        return None
    level = getattr(obj, "confidentiality", None)
    if level is None:  # only then the customer: it may not be loaded (lazy="raise")
        level = getattr(getattr(obj, "customer", None), "confidentiality", None)
    if level is not None:
        return Level(level)
    try:
        kind = record_kinds.kind_of(type(obj).__name__)
    except KeyError:
        return None
    return kind.level(obj)


def actor_label(user) -> str:
    """How the trail names who acted (and its user filter names a user): 赵一 (sales1)."""
    return f"{user.full_name} ({user.username})"


def record(action: str, obj=None, *, changes: dict | None = None, actor=None,
           object_type: str | None = None, object_label: str | None = None,
           level: Level | None = None) -> AuditEvent:
    """Appends one event in the caller's transaction (committed or rolled back with it).

    `level`: the confidentiality of what the event reveals when it is not `obj`'s own (e.g. an
    account event listing customers' numbers); viewers below it see the event only."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    label = object_label if object_label is not None else (str(obj) if obj is not None else None)
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor.id if actor else None,
        actor_name=actor_label(actor)[:100] if actor else "-",
        action=action,
        object_type=object_type or (type(obj).__name__ if obj is not None else None),
        object_id=getattr(obj, "id", None),
        object_label=label[:200] if label else None,
        changes=canonical_json(changes or {}),
        ip=client_address() if has_request_context() else None,
        object_level=level if level is not None else level_of(obj),
        hash_version=HASH_VERSION,
    )
    db.session.flush()  # the caller's rows first, so this transaction already holds its locks
    _take_chain_head(event)
    db.session.add(event)
    db.session.flush()
    return event


def _take_chain_head(event: AuditEvent) -> None:
    """Links the event to the current head by compare-and-swap; retries if another won."""
    head = AuditHead.__table__
    while True:
        last = db.session.execute(select(head.c.last_hash).where(head.c.id == 1)).scalar_one()
        event.prev_hash = last
        event.hash = event_hash(last, event)
        swapped = db.session.execute(
            update(head).where(head.c.id == 1, head.c.last_hash == last)
            .values(last_hash=event.hash)
        )
        if swapped.rowcount == 1:
            return


@dataclass
class ChainReport:
    checked: int
    broken_id: int | None = None
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.reason is None


def verify_chain(batch: int = 2000) -> ChainReport:
    """Recomputes every link; reports the first row whose link or content does not match."""
    prev, checked = GENESIS_HASH, 0
    rows = db.session.execute(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=batch)
    ).scalars()
    for event in rows:
        if event.prev_hash != prev:
            return ChainReport(checked, event.id, "link")
        if event_hash(event.prev_hash, event) != event.hash:
            return ChainReport(checked, event.id, "content")
        prev, checked = event.hash, checked + 1
    head = db.session.execute(select(AuditHead.last_hash).where(AuditHead.id == 1)).scalar_one()
    if head != prev:
        return ChainReport(checked, None, "tail")
    return ChainReport(checked)
