"""The SLA clock, pure: a record's start, expected time and status transitions, its targets
and a calendar give the stored deadlines and breach flags. No database, no `now` of its own.

Rules (a8, issue 12 req. 4):
- responded_at is the first time the record left 待处理 (a record registered in another
  status was responded to at its start);
- response_due = start + response target on the policy's calendar;
- resolution_due = the customer's expected time when given (never before the start), else
  start + resolution target; extended by the calendar time during which the clock stood
  still: the paused states (等待客户 / 等待配件) and the time between completion and a
  reopening (已完成 → 处理中 resumes the remaining time). A stop that begins after the due
  time extends nothing: a breach stays a breach. On the working calendar a stop across a
  holiday adds only the working time it covered;
- the clock of a record that is stopped now is not extended past its stop (the stored due
  stays deterministic; lists show such records as 已暂停);
- response_breached: responded_at (or now, while pending) after response_due;
  resolution_breached: the moment the clock stopped for completion (or now, while running)
  after resolution_due;
- on-site (only for work at the customer's site under a profile with an on-site target):
  onsite_due = start + on-site target, extended by the stops before the arrival as the
  resolution due is; onsite_breached: the arrival (or, before it, the moment the clock
  stopped, or now) after onsite_due. The history after the arrival no longer counts.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from app.models.service.records import PAUSED_STATUSES, ServiceStatus

STOPPED = (*PAUSED_STATUSES, ServiceStatus.DONE, ServiceStatus.CLOSED)
COMPLETED = (ServiceStatus.DONE, ServiceStatus.CLOSED)


class Calendar(Protocol):
    def add(self, start: datetime, minutes: int) -> datetime: ...

    def minutes_between(self, start: datetime, end: datetime) -> int: ...


class Memo:
    """A calendar whose answers are kept: a recompute over many records asks the same
    questions (the same start and target) again and again."""

    def __init__(self, calendar: Calendar):
        self.calendar = calendar
        self._added: dict[tuple[datetime, int], datetime] = {}
        self._between: dict[tuple[datetime, datetime], int] = {}

    def add(self, start: datetime, minutes: int) -> datetime:
        key = (start, minutes)
        found = self._added.get(key)
        if found is None:
            found = self._added[key] = self.calendar.add(start, minutes)
        return found

    def minutes_between(self, start: datetime, end: datetime) -> int:
        key = (start, end)
        found = self._between.get(key)
        if found is None:
            found = self._between[key] = self.calendar.minutes_between(start, end)
        return found


@dataclass(frozen=True)
class Targets:
    """A policy's targets in minutes of its calendar (`policy_id` None: built-in default)."""

    policy_id: int | None
    calendar: str
    response_minutes: int
    resolution_minutes: int
    on_site_minutes: int | None = None  # on-site profiles only


@dataclass(frozen=True)
class Transition:
    """One status change, at a local time; from_status None for the registration."""

    at: datetime
    from_status: ServiceStatus | None
    to_status: ServiceStatus


@dataclass(frozen=True)
class Deadlines:
    policy_id: int | None
    responded_at: datetime | None
    response_due: datetime
    resolution_due: datetime
    response_breached: bool
    resolution_breached: bool
    onsite_due: datetime | None = None
    onsite_breached: bool = False


def responded_at(start: datetime, transitions: list[Transition]) -> datetime | None:
    """The first time the record left 待处理 (its start when registered in another status)."""
    for move in transitions:
        if move.to_status == ServiceStatus.PENDING:
            continue
        if move.from_status is None:
            return start
        if move.from_status == ServiceStatus.PENDING:
            return move.at
    return None


def _extend(cal: Calendar, due: datetime, stopped: datetime, resumed: datetime) -> datetime:
    """`due` moved by the calendar time of a stop that began before it."""
    if stopped >= due or resumed <= stopped:
        return due
    minutes = cal.minutes_between(stopped, resumed)
    return cal.add(due, minutes) if minutes > 0 else due


def resolution(cal: Calendar, due: datetime, transitions: list[Transition]
               ) -> tuple[datetime, datetime | None]:
    """The resolution due after every finished stop, and when the clock stands still now."""
    stopped: datetime | None = None
    for move in transitions:
        if move.to_status in STOPPED:
            stopped = stopped or move.at
        elif stopped is not None:
            due = _extend(cal, due, stopped, move.at)
            stopped = None
    return due, stopped


def on_site(cal: Calendar, start: datetime, minutes: int, transitions: list[Transition],
            arrived_at: datetime | None, now: datetime) -> tuple[datetime, bool]:
    """The on-site due and whether it was missed. The clock runs until someone arrives and
    stands still like the resolution's: a record completed without an arrival (solved on the
    phone) stopped it at completion; a pause still going on at the arrival, at the pause."""
    before = [move for move in transitions if arrived_at is None or move.at < arrived_at]
    due, stopped = resolution(cal, cal.add(start, minutes), before)
    clock_end = stopped if stopped is not None else (arrived_at or now)
    return due, clock_end > due


def compute(start: datetime, expected_at: datetime | None, transitions: list[Transition],
            targets: Targets, cal: Calendar, now: datetime, *, visits_site: bool = False,
            arrived_at: datetime | None = None) -> Deadlines:
    """The deadlines and breach flags of one record (transitions in order); the on-site ones
    when the work is at the customer's site (`visits_site`) and the targets promise it."""
    response_due = cal.add(start, targets.response_minutes)
    responded = responded_at(start, transitions)
    if expected_at is not None:
        base = max(expected_at, start)
    else:
        base = cal.add(start, targets.resolution_minutes)
    due, stopped = resolution(cal, base, transitions)
    clock_end = stopped if stopped is not None else now
    onsite_due, onsite_breached = None, False
    if visits_site and targets.on_site_minutes is not None:
        onsite_due, onsite_breached = on_site(cal, start, targets.on_site_minutes, transitions,
                                              arrived_at, now)
    return Deadlines(
        policy_id=targets.policy_id, responded_at=responded, response_due=response_due,
        resolution_due=due, response_breached=(responded or now) > response_due,
        resolution_breached=clock_end > due, onsite_due=onsite_due,
        onsite_breached=onsite_breached)
