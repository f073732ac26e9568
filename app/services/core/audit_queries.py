"""Filtering the audit trail for the auditors' page, under the viewer's clearance.

An event about a record above the viewer's clearance is shown as an event (who, when, what
action, on which type of object) without the object's name, number, id or values, and no
filter on the object can match it: a viewer cannot find out which record it was about by
narrowing a search until a row appears or disappears.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, or_

from app.models import AuditEvent, Level
from app.timeutil import local_zone


@dataclass
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: int | None = None
    object_label: str = ""  # a name or number in the object's label
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class ShownEvent:
    """An event as a viewer may see it: `hidden_level` is set (and the object's id, label and
    changes are None) when the event is about a record above the viewer's clearance."""

    id: int
    at: datetime
    actor_name: str
    action: str
    object_type: str | None
    object_id: int | None
    object_label: str | None
    changes: str | None
    ip: str | None
    hidden_level: Level | None = None


def _utc(day: date) -> datetime:
    """Local midnight of `day` as naive UTC, the way `at` is stored."""
    local = datetime.combine(day, time.min, tzinfo=local_zone())
    return local.astimezone(UTC).replace(tzinfo=None)


def cleared(clearance: Level) -> ColumnElement:
    """Events whose object the viewer may know: none classified, or classified at most
    `clearance`."""
    return or_(AuditEvent.object_level.is_(None), AuditEvent.object_level <= clearance)


def filtered_events(query: Select, f: AuditFilters, clearance: Level) -> Select:
    """The events matching `f`; the filters on the object match only events the viewer may
    know the object of."""
    if f.actor:
        query = query.where(AuditEvent.actor_name.ilike(f"%{f.actor}%"))
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.object_type:
        query = query.where(AuditEvent.object_type == f.object_type)
    if f.object_id is not None:
        query = query.where(AuditEvent.object_id == f.object_id, cleared(clearance))
    if f.object_label:
        query = query.where(AuditEvent.object_label.icontains(f.object_label, autoescape=True),
                            cleared(clearance))
    if f.date_from:
        query = query.where(AuditEvent.at >= _utc(f.date_from))
    if f.date_to:
        query = query.where(AuditEvent.at < _utc(f.date_to + timedelta(days=1)))
    return query


def shown(events: list[AuditEvent], clearance: Level) -> list[ShownEvent]:
    """The events as the viewer may see them (see ShownEvent)."""
    rows = []
    for e in events:
        hidden = e.object_level is not None and e.object_level > clearance
        rows.append(ShownEvent(
            e.id, e.at, e.actor_name, e.action, e.object_type,
            None if hidden else e.object_id, None if hidden else e.object_label,
            None if hidden else e.changes, e.ip, e.object_level if hidden else None))
    return rows
