"""Stored SLA deadlines of service records: `refresh(record)` recomputes one record from its
history (the records service calls it after create, edit, each status change, reopening,
confirmation and arrival on site); the recompute job uses `compute` and `values` for many at
once. Lists never compute a deadline per row; they read the columns written here.

Times: service_at and expected_at are local business times; ServiceEvent.at is a UTC stamp
(utcnow), read here as local time, so every stored SLA column is a naive local time."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo

from sqlalchemy import and_, or_, select

from app.extensions import db
from app.models.base import utcnow
from app.models.service.records import (
    AfterSalesKind,
    Priority,
    ServiceEvent,
    ServiceRecord,
    ServiceType,
)
from app.models.service.sla import ContractSlaProfile, SlaCalendar, SlaKind, SlaPolicy
from app.services.core import worktime
from app.services.service.sla import clock
from app.timeutil import local_wall_clock, local_zone

DEFAULT_RESPONSE_MINUTES = 120
# Minutes of working time: 1, 3 and 5 working days of the default 7.5-hour day (the
# migration seeds the same; these apply only when a policy row is missing).
DEFAULT_RESOLUTION_MINUTES = {Priority.HIGH: 450, Priority.MEDIUM: 1350, Priority.LOW: 2250}
# The commitment letter promises an engineer on site within 2 h when a fault occurs
# (「出现故障……2小时内到达故障现场，4小时内完成维修」): after-sales repairs. Planned work
# (保养, 安装), returns and consultations have no arrival target.
ON_SITE_KINDS = (AfterSalesKind.REPAIR,)


def default_targets(priority: Priority) -> clock.Targets:
    """The built-in targets used when no policy row matches (a8 defaults)."""
    return clock.Targets(None, SlaCalendar.WORK.value, DEFAULT_RESPONSE_MINUTES,
                         DEFAULT_RESOLUTION_MINUTES.get(priority, 1350))


def targets_of(policy: SlaPolicy) -> clock.Targets:
    """A policy row as clock targets."""
    return clock.Targets(policy.id, policy.calendar.value, policy.response_minutes,
                         policy.resolution_minutes, policy.on_site_minutes)


def visits_site(service_type: str, after_sales_kind: str | None) -> bool:
    """Whether a record's work is at the customer's site (its profile's on-site target
    applies)."""
    return service_type == ServiceType.AFTERSALES and after_sales_kind in ON_SITE_KINDS


def calendar(code: str) -> clock.Calendar:
    """The working-time calendar a policy runs on."""
    return worktime.calendar_for(code)


def load_transitions(record_ids: Iterable[int], id_range: tuple[int, int] | None = None
                     ) -> dict[int, list[clock.Transition]]:
    """The status transitions of the records, in history order, in one query (`id_range`:
    the records' lowest and highest id, read by range instead of a long IN list)."""
    query = select(ServiceEvent.record_id, ServiceEvent.at, ServiceEvent.from_status,
                   ServiceEvent.to_status).where(ServiceEvent.to_status.is_not(None))
    if id_range is None:
        query = query.where(ServiceEvent.record_id.in_(list(record_ids)))
    else:
        query = query.where(ServiceEvent.record_id.between(*id_range))
    zone = local_zone()
    found: dict[int, list[clock.Transition]] = defaultdict(list)
    for record_id, at, from_status, to_status in db.session.execute(
            query.order_by(ServiceEvent.record_id, ServiceEvent.id)):
        found[record_id].append(clock.Transition(_local(at, zone), from_status, to_status))
    return found


def _local(stamp: datetime, zone: tzinfo) -> datetime:
    """A UTC stamp as naive local time, to the second."""
    return stamp.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None, microsecond=0)


def targets_for(record: ServiceRecord) -> clock.Targets:
    """The record's targets: its contract's on-site profile, else the standard policy of its
    service type and priority, else the built-in defaults (one query)."""
    standard = and_(SlaPolicy.kind == SlaKind.STANDARD,
                    SlaPolicy.service_type == record.service_type,
                    SlaPolicy.priority == record.priority)
    where = standard
    if record.contract_id is not None:
        where = or_(standard, SlaPolicy.id.in_(
            select(ContractSlaProfile.policy_id)
            .where(ContractSlaProfile.contract_id == record.contract_id)))
    # "on_site" sorts before "standard": a contract's profile wins.
    policy = db.session.scalars(select(SlaPolicy).where(where).order_by(SlaPolicy.kind)).first()
    return targets_of(policy) if policy else default_targets(record.priority)


def compute(record: ServiceRecord, transitions: list[clock.Transition],
            targets: clock.Targets, now: datetime, calendars: dict) -> clock.Deadlines:
    """The record's deadlines (calendars: remembered calendars by code, filled as needed)."""
    cal = calendars.get(targets.calendar)
    if cal is None:
        cal = calendars[targets.calendar] = clock.Memo(calendar(targets.calendar))
    start = record.service_at or _local(record.created_at, local_zone())
    return clock.compute(start, record.expected_at, transitions, targets, cal, now,
                         visits_site=visits_site(record.service_type, record.after_sales_kind),
                         arrived_at=record.arrived_at)


def values(deadlines: clock.Deadlines) -> dict:
    """The stored columns of computed deadlines."""
    return dict(sla_policy_id=deadlines.policy_id, responded_at=deadlines.responded_at,
                response_due=deadlines.response_due, resolution_due=deadlines.resolution_due,
                response_breached=deadlines.response_breached,
                resolution_breached=deadlines.resolution_breached,
                onsite_due=deadlines.onsite_due, onsite_breached=deadlines.onsite_breached)


def refresh(record: ServiceRecord, now: datetime | None = None) -> None:
    """Recomputes and stores the record's SLA columns from its history, in the caller's
    transaction (no commit); two queries. `now` (local) decides breaches of running clocks."""
    if record.id is None:
        db.session.flush()
    transitions = load_transitions([record.id]).get(record.id, [])
    deadlines = compute(record, transitions, targets_for(record), now or local_wall_clock(), {})
    for name, value in values(deadlines).items():
        setattr(record, name, value)
    record.sla_computed_at = utcnow()
