"""The SLA state lists and the home page read from the stored columns, as SQL (usable in
WHERE, ORDER BY and GROUP BY; never computed in Python per row):

- 已超时 overdue: a breach flag is stored, or, while the clock runs, a due time has passed
  (the response due while still 待处理, the on-site due while nobody has arrived, the
  resolution due while open; records without an on-site commitment have no on-site due);
- 已暂停 paused: waiting for the customer or for parts (the clock stands still);
- 即将超时 due soon: a running due time falls within the next `soon` hours;
- 正常 otherwise (completed records without a breach included).
"""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, or_

from app.models.base import Choice
from app.models.service.records import (
    OPEN_STATUSES,
    PAUSED_STATUSES,
    ServiceRecord,
    ServiceStatus,
)

DUE_SOON_HOURS = 4
R = ServiceRecord


class SlaState(Choice):
    OVERDUE = ("overdue", _l("已超时"))
    DUE_SOON = ("due_soon", _l("即将超时"))
    PAUSED = ("paused", _l("已暂停"))
    NORMAL = ("normal", _l("正常"))


RANK = {SlaState.OVERDUE: 0, SlaState.DUE_SOON: 1, SlaState.NORMAL: 2, SlaState.PAUSED: 3}


def _running() -> ColumnElement[bool]:
    return R.status.in_([s for s in OPEN_STATUSES if s not in PAUSED_STATUSES])


def _passes(moment: datetime) -> ColumnElement[bool]:
    """A running due time before `moment`: the response while pending, the on-site due
    until the arrival, the resolution. The on-site due is NULL for most records: tested
    first, so that the clause is false, not NULL (NOT of NULL would drop rows from 即将超时)."""
    return and_(_running(), or_(
        and_(R.status == ServiceStatus.PENDING, R.response_due < moment),
        and_(R.onsite_due.is_not(None), R.arrived_at.is_(None), R.onsite_due < moment),
        R.resolution_due < moment))


def overdue(now: datetime) -> ColumnElement[bool]:
    """已超时 (WHERE clause; `now` a naive local time like the stored columns)."""
    return or_(R.response_breached.is_(True), R.resolution_breached.is_(True),
               R.onsite_breached.is_(True), _passes(now))


def due_soon(now: datetime, soon: int = DUE_SOON_HOURS) -> ColumnElement[bool]:
    """即将超时 and not already overdue (WHERE clause)."""
    return and_(~overdue(now), _passes(now + timedelta(hours=soon)))


def expression(now: datetime, soon: int = DUE_SOON_HOURS) -> ColumnElement[str]:
    """The state's code per row (SELECT, GROUP BY)."""
    return case(
        (overdue(now), SlaState.OVERDUE.value),
        (R.status.in_(PAUSED_STATUSES), SlaState.PAUSED.value),
        (_passes(now + timedelta(hours=soon)), SlaState.DUE_SOON.value),
        else_=SlaState.NORMAL.value)


def rank(now: datetime, soon: int = DUE_SOON_HOURS) -> ColumnElement[int]:
    """The state as an ORDER BY key: overdue first, then due soon, normal, paused."""
    return case(
        (overdue(now), RANK[SlaState.OVERDUE]),
        (R.status.in_(PAUSED_STATUSES), RANK[SlaState.PAUSED]),
        (_passes(now + timedelta(hours=soon)), RANK[SlaState.DUE_SOON]),
        else_=RANK[SlaState.NORMAL])


def label(code: str | None) -> str:
    """The Chinese label of a state code read from a row."""
    return SlaState(code).label if code else ""
