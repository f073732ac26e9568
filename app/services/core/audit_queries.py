"""Filtering the audit trail for the auditors' page."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select

from app.models import AuditEvent
from app.timeutil import local_zone


@dataclass
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def _utc(day: date) -> datetime:
    """Local midnight of `day` as naive UTC, the way `at` is stored."""
    local = datetime.combine(day, time.min, tzinfo=local_zone())
    return local.astimezone(UTC).replace(tzinfo=None)


def filtered_events(query: Select, f: AuditFilters) -> Select:
    if f.actor:
        query = query.where(AuditEvent.actor_name.ilike(f"%{f.actor}%"))
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.object_type:
        query = query.where(AuditEvent.object_type == f.object_type)
    if f.object_id is not None:
        query = query.where(AuditEvent.object_id == f.object_id)
    if f.date_from:
        query = query.where(AuditEvent.at >= _utc(f.date_from))
    if f.date_to:
        query = query.where(AuditEvent.at < _utc(f.date_to + timedelta(days=1)))
    return query
