"""The follow-up cadence rule table (004 L38: A weekly, B fortnightly; C every 30 days and
priority 高 as A [prop]): read for the settings page, changed by the 客服 manager (policy),
audited, and the stored next due dates of the records it affects recomputed."""

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.service.follow_ups import CadenceBasis, FollowUpCadence
from app.services.core import audit, errors
from app.services.service.follow_ups import schedule

MIN_DAYS, MAX_DAYS = 1, 365


class Refused(errors.Refused):
    """A cadence the rules do not allow."""


def table() -> dict[CadenceBasis, int]:
    """Days per basis, in the table's order (A, B, C, 高)."""
    return schedule.intervals()


def _check(days: dict[CadenceBasis, int]) -> None:
    """Refuses a missing basis or an interval outside MIN_DAYS..MAX_DAYS."""
    for basis in CadenceBasis:
        value = days.get(basis)
        if value is None or not MIN_DAYS <= value <= MAX_DAYS:
            raise Refused(_("跟进间隔须在 %(min)d–%(max)d 天之间。", min=MIN_DAYS, max=MAX_DAYS),
                          basis.value)


def update(days: dict[CadenceBasis, int], actor: User) -> tuple[dict, int]:
    """Saves the intervals; returns (the audited changes, how many records' next due dates
    were recomputed). Nothing changes when nothing differs."""
    _check(days)
    rows = {row.basis: row for row in db.session.scalars(select(FollowUpCadence))}
    before = table()
    changed = {basis for basis in CadenceBasis if days[basis] != before[basis]}
    if not changed:
        return {}, 0
    for basis in changed:
        row = rows.get(basis) or FollowUpCadence(basis=basis)
        row.interval_days, row.updated_by_id = days[basis], actor.id
        db.session.add(row)
    db.session.flush()
    changes = {basis.value: [before[basis], days[basis]] for basis in CadenceBasis
               if basis in changed}
    audit.record("service_follow_up_cadence_updated", actor=actor,
                 object_type="FollowUpCadence", object_label=_("跟进频次"), changes=changes)
    return changes, schedule.recompute(changed)
