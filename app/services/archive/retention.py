"""Retention (保管期限): each record type's rule (period code, years, trigger event), the trigger's
date for a filed item, and its expiry date (the trigger's anniversary after the years; none for
permanent items or while the trigger is still ahead), recomputed when a rule or a trigger
changes: one item with `refresh`, a batch (the schedule's recompute runs) with
`refresh_batch`, which reads the batch's rules, records and versions in a query each."""

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import RecordVersion
from app.models.archive import ArchiveItem, RetentionRule, RetentionTrigger
from app.services.core.errors import Refused
from app.services.core.record_kinds import filing_kind, kind_of
from app.timeutil import to_local


class RetentionRefused(Refused):
    """The archive cannot place a record in the schedule."""


def rule_for(record_type: str) -> RetentionRule:
    """The record type's rule; refuses a type the schedule does not list."""
    rule = db.session.scalar(select(RetentionRule).where(RetentionRule.record_type == record_type))
    if rule is None:
        raise RetentionRefused(_("保管期限表中没有该类记录，请管理员先设置其保管期限。"))
    return rule


def trigger_date(rule: RetentionRule, record, version: RecordVersion, filed_on: date):
    """The date the rule's period counts from, for this record; None while it is ahead."""
    if rule.trigger == RetentionTrigger.SIGNING:
        return to_local(version.created_at).date()
    if rule.trigger == RetentionTrigger.FILING:
        return filed_on
    return filing_kind(rule.record_type).trigger_date(record, rule.trigger.value)


def expiry_date(trigger: date | None, years: int | None) -> date | None:
    """The trigger's anniversary `years` later (28 February for a 29 February); None when the
    item is permanent or its trigger is still ahead."""
    if trigger is None or years is None:
        return None
    try:
        return trigger.replace(year=trigger.year + years)
    except ValueError:
        return trigger.replace(year=trigger.year + years, day=28)


def refresh(item: ArchiveItem) -> bool:
    """Recomputes the item's retention from its type's current rule and its record's current
    trigger (the period code in its 档号 stays as numbered); True when anything changed."""
    rule = rule_for(item.record_type)
    return _apply(item, rule, _record(item.record_type, item.record_id), _version(item))


def refresh_batch(items: list[ArchiveItem]) -> list[tuple[ArchiveItem, date | None]]:
    """`refresh` of each item, their rules, records and versions read a query each; the items
    whose retention changed, each with its expiry date before. An item whose type the
    schedule does not list is left as it is."""
    rules = {rule.record_type: rule for rule in db.session.scalars(select(RetentionRule).where(
        RetentionRule.record_type.in_({item.record_type for item in items})))}
    versions = _versions(items)
    changed = []
    for item in items:
        rule = rules.get(item.record_type)
        if rule is None:
            continue
        before = item.expiry_date
        record = _record(item.record_type, item.record_id) if rule.years is not None else None
        version = versions.get((item.record_type, item.record_id, item.record_version))
        if _apply(item, rule, record, version):
            changed.append((item, before))
    return changed


def _apply(item: ArchiveItem, rule: RetentionRule, record, version) -> bool:
    """Sets the item's years, trigger and expiry from the rule; without its record or version
    (gone, or not needed: a permanent rule) the stored trigger stays."""
    trigger = item.trigger_date
    if record is not None and version is not None:
        trigger = trigger_date(rule, record, version, to_local(item.filed_at).date())
    before = (item.retention_years, item.trigger_date, item.expiry_date)
    item.retention_years, item.trigger_date = rule.years, trigger
    item.expiry_date = expiry_date(trigger, rule.years)
    return before != (item.retention_years, item.trigger_date, item.expiry_date)


def _record(record_type: str, record_id: int):
    """The item's record, None when it is gone or its kind is no longer registered."""
    try:
        return kind_of(record_type).load(record_id)
    except KeyError:
        return None


def _version(item: ArchiveItem) -> RecordVersion | None:
    return db.session.scalar(select(RecordVersion).where(
        RecordVersion.record_type == item.record_type, RecordVersion.record_id == item.record_id,
        RecordVersion.number == item.record_version))


def _versions(items: list[ArchiveItem]) -> dict[tuple, RecordVersion]:
    """The filed versions of the items, by (type, record id, number); their records are read
    into the session as well (a kind loads its record by id: then from the session)."""
    by_type = defaultdict(set)
    for item in items:
        by_type[item.record_type].add(item.record_id)
    found = {}
    for record_type, ids in by_type.items():
        _preload(record_type, ids)
        for version in db.session.scalars(select(RecordVersion).where(
                RecordVersion.record_type == record_type, RecordVersion.record_id.in_(ids))):
            found[(record_type, version.record_id, version.number)] = version
    return found


def _preload(record_type: str, ids: set[int]) -> None:
    try:
        model = filing_kind(record_type).model
    except (KeyError, AttributeError):  # not fileable (any more): each loads on its own
        return
    db.session.scalars(select(model).where(model.id.in_(ids))).all()
