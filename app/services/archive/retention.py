"""Retention (保管期限): each record type's rule (period code, years, trigger event), the trigger's
date for a filed item, and its expiry date (the trigger's anniversary after the years; none for
permanent items or while the trigger is still ahead), recomputed when a rule or a trigger
changes."""

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
    record = kind_of(item.record_type).load(item.record_id)
    version = db.session.scalar(select(RecordVersion).where(
        RecordVersion.record_type == item.record_type, RecordVersion.record_id == item.record_id,
        RecordVersion.number == item.record_version))
    trigger = item.trigger_date
    if record is not None and version is not None:
        trigger = trigger_date(rule, record, version, to_local(item.filed_at).date())
    before = (item.retention_years, item.trigger_date, item.expiry_date)
    item.retention_years, item.trigger_date = rule.years, trigger
    item.expiry_date = expiry_date(trigger, rule.years)
    return before != (item.retention_years, item.trigger_date, item.expiry_date)
