"""The one working-time calendar every deadline uses (DESIGN.md "Working time").

- calendar_for("work"): working time, only inside the working intervals (08:30–12:00,
  13:30–17:30 by default, edited by an administrator) of working days. A day is working as an
  administrator's dated exception says, else as the statutory calendar says (holidays and
  make-up workdays 调休, from chinese-calendar), else — a year the library does not cover —
  Monday to Friday.
- calendar_for("24x7"): calendar time, holidays included (commitments 「含节假日」).

Times are naive local datetimes. A calendar is a snapshot of the settings at one version();
calendar_for gives the current one, re-read when an edit bumps the version (checked once per
app context: a request or a job). Core imports no department: the SLA recompute subscribes
with on_change and runs after an edit is committed.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

import chinese_calendar
from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.calendar import DEFAULT_INTERVALS, CalendarState, WorkdayException, WorkInterval

WORK = "work"
FULL = "24x7"
ZERO = timedelta()
ONE_DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)
_log = logging.getLogger(__name__)


def library_years() -> tuple[int, int]:
    """The first and last year the statutory holiday library covers."""
    years = [day.year for day in (*chinese_calendar.holidays, *chinese_calendar.workdays)]
    return min(years), max(years)


FIRST_YEAR, LAST_YEAR = library_years()


def statutory_working(day: date) -> bool | None:
    """Is `day` a working day by the statutory calendar? None for a year the library lacks."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return chinese_calendar.is_workday(day)


# chinese-calendar names holidays in English; people here read them in Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": _l("元旦"), "Spring Festival": _l("春节"), "Tomb-sweeping Day": _l("清明节"),
    "Labour Day": _l("劳动节"), "Dragon Boat Festival": _l("端午节"),
    "National Day": _l("国庆节"), "Mid-autumn Festival": _l("中秋节"),
    "Anti-Fascist 70th Day": _l("抗战胜利纪念日"),
}


def holiday_name(day: date) -> str | None:
    """The statutory holiday `day` is (or is a make-up workday for), in the user's language;
    None for an ordinary day or a year the library lacks."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    name = chinese_calendar.holidays.get(day) or chinese_calendar.workdays.get(day)
    return str(HOLIDAY_NAMES.get(name, name)) if name else None


def default_working(day: date) -> bool:
    """Working by the statutory calendar, or Monday to Friday where it has no word."""
    working = statutory_working(day)
    return day.weekday() < 5 if working is None else working


def _offset(moment: time) -> timedelta:
    """A time of day as the time since midnight."""
    return timedelta(hours=moment.hour, minutes=moment.minute, seconds=moment.second)


class WorkCalendar:
    """Working time: the intervals of each working day, as of one version of the settings."""

    code = WORK

    def __init__(self, intervals: Iterable[tuple[time, time]],
                 exceptions: dict[date, bool] | None = None, version: int = 0):
        self.version = version
        self.spans = tuple((_offset(start), _offset(end)) for start, end in sorted(intervals))
        if not self.spans:
            raise ValueError("a working day needs at least one interval")
        self.day_length = sum((end - start for start, end in self.spans), ZERO)
        self.exceptions = dict(exceptions or {})
        self._working: dict[date, bool] = {}  # per-day cache, as long as this snapshot lives

    def is_working_day(self, day: date) -> bool:
        """An exception's word first, then the statutory calendar, then Monday to Friday."""
        working = self._working.get(day)
        if working is None:
            working = self.exceptions.get(day)
            if working is None:
                working = default_working(day)
            self._working[day] = working
        return working

    def add(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` of working time have passed after `start` (the earliest one:
        an interval's end rather than the next one's start)."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        if minutes == 0:
            return start
        left = minutes * MINUTE
        day = start.date()
        midnight = datetime.combine(day, time.min)
        position = start - midnight
        while True:
            if self.is_working_day(day):
                if position == ZERO and left > self.day_length:
                    left -= self.day_length  # a whole working day, stepped over at once
                else:
                    landing, left = self._spend(position, left)
                    if landing is not None:
                        return midnight + landing
            day += ONE_DAY
            midnight += ONE_DAY
            position = ZERO

    def _spend(self, position: timedelta, left: timedelta) -> tuple[timedelta | None, timedelta]:
        """Spends `left` in one working day from `position` (an offset from its midnight): the
        offset where it runs out, or None and what is left for the following days."""
        for span_start, span_end in self.spans:
            if position >= span_end:
                continue
            room = span_end - max(position, span_start)
            if left <= room:
                return max(position, span_start) + left, ZERO
            left -= room
        return None, left

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole minutes of working time in [start, end); 0 when end is not after start."""
        if end <= start:
            return 0
        day, last = start.date(), end.date()
        midnight = datetime.combine(day, time.min)
        total = ZERO
        while day <= last:
            if self.is_working_day(day):
                low = start - midnight if day == start.date() else ZERO
                high = end - midnight if day == last else ONE_DAY
                if low == ZERO and high == ONE_DAY:
                    total += self.day_length
                else:
                    total += self._overlap(low, high)
            day += ONE_DAY
            midnight += ONE_DAY
        return total // MINUTE

    def _overlap(self, low: timedelta, high: timedelta) -> timedelta:
        """Working time of one working day between two offsets from its midnight."""
        total = ZERO
        for span_start, span_end in self.spans:
            if span_end > low and span_start < high:
                total += min(span_end, high) - max(span_start, low)
        return total

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (before it when n < 0; `day` itself when 0)."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        left = abs(n)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return day


class FullCalendar:
    """Calendar time, every day and hour (7×24, holidays included)."""

    code = FULL
    version = 0

    def is_working_day(self, day: date) -> bool:
        """Every day counts."""
        return True

    def add(self, start: datetime, minutes: int) -> datetime:
        """`minutes` later."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        return start + minutes * MINUTE

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole minutes in [start, end); 0 when end is not after start."""
        return (end - start) // MINUTE if end > start else 0

    def add_working_days(self, day: date, n: int) -> date:
        """`n` days later."""
        return day + timedelta(days=n)


_FULL = FullCalendar()
_cached: dict[str, WorkCalendar] = {}  # the working calendar last loaded in this process
_VERSION = "worktime_version"  # on flask.g: the version read in this app context


def version() -> int:
    """The settings' version: bumped by every calendar edit (for caches); read once per app
    context."""
    current = g.get(_VERSION)
    if current is None:
        current = db.session.scalar(select(CalendarState.version).where(CalendarState.id == 1))
        current = g.setdefault(_VERSION, current or 0)
    return current


def load(current: int) -> WorkCalendar:
    """The working calendar as the database holds it now (the default day if none saved)."""
    intervals = db.session.execute(select(WorkInterval.starts, WorkInterval.ends)).all()
    exceptions = db.session.execute(select(WorkdayException.day, WorkdayException.working))
    return WorkCalendar([tuple(row) for row in intervals] or DEFAULT_INTERVALS,
                        dict(exceptions.tuples().all()), current)


def calendar_for(code: str) -> WorkCalendar | FullCalendar:
    """The calendar of `code` ("work" or "24x7"), current as of this app context."""
    if code == FULL:
        return _FULL
    if code != WORK:
        raise ValueError(f"unknown calendar {code!r}")
    current = version()
    calendar = _cached.get(WORK)
    if calendar is None or calendar.version != current:
        calendar = _cached[WORK] = load(current)
    return calendar


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after `day` on the working calendar (「5个工作日内」)."""
    return calendar_for(WORK).add_working_days(day, n)


# ---- Changes: the edit's transaction bumps the version; its commit tells the subscribers.

_callbacks: list[Callable[[], None]] = []
_CHANGED = "worktime.changed"  # session.info: this transaction edited the calendar
_COMMITTED = "worktime.committed"  # ...and has been committed; subscribers not told yet


def on_change(callback: Callable[[], None]) -> None:
    """Subscribes `callback` (no arguments) to run after each committed calendar edit."""
    if callback not in _callbacks:
        _callbacks.append(callback)


def changed(actor_id: int | None, at: datetime) -> None:
    """Bumps the version in the caller's transaction (settings edits call this)."""
    bumped = db.session.execute(
        update(CalendarState).where(CalendarState.id == 1).values(
            version=CalendarState.version + 1, updated_at=at, updated_by_id=actor_id))
    if not bumped.rowcount:  # the row the migration seeds was removed by hand
        db.session.add(CalendarState(id=1, version=1, updated_at=at, updated_by_id=actor_id))
    db.session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _note_commit(session: Session) -> None:
    """A committed edit: its subscribers are told once the commit is over (below)."""
    if session.info.pop(_CHANGED, False):
        session.info[_COMMITTED] = True


@event.listens_for(Session, "after_soft_rollback")
def _forget_rollback(session: Session, previous_transaction) -> None:
    """A rolled-back edit changed nothing: nobody is told."""
    if previous_transaction.parent is None:
        session.info.pop(_CHANGED, None)


@event.listens_for(Session, "after_transaction_end")
def _announce(session: Session, transaction) -> None:
    """After the commit is over (subscribers may use the session again): drop this process's
    cached calendar, then run each subscriber; one failing does not stop the others."""
    if transaction.parent is not None or not session.info.pop(_COMMITTED, False):
        return
    _cached.clear()
    if has_app_context():
        g.pop(_VERSION, None)
    for callback in list(_callbacks):
        try:
            callback()
        except Exception:  # the edit is committed; a subscriber's failure is its own
            _log.exception("calendar change subscriber %r failed", callback)
