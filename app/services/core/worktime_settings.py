"""What an administrator edits of the working-time calendar (services/core/worktime.py): the
working intervals of a day and dated exceptions. Every edit is audited and bumps the calendar's
version in its transaction; the subscribers run once it is committed."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time, timedelta

import chinese_calendar
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.base import Choice, utcnow
from app.models.calendar import WorkdayException, WorkInterval
from app.services.core import audit, audit_labels, worktime
from app.services.core.errors import Refused

MAX_INTERVALS = 6
NOTE_LENGTH = 200
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


class CalendarRefused(Refused):
    """A calendar edit the rules refuse (the message says why, in Chinese)."""


@dataclass(frozen=True)
class IntervalProblem:
    """A refusal of the intervals form: `row` (0-based) is the row it is about, or None."""

    row: int | None
    message: str


def intervals() -> list[WorkInterval]:
    """The working intervals of a day, in order."""
    return list(db.session.scalars(select(WorkInterval).order_by(WorkInterval.starts)))


def interval_text(spans) -> str:
    """"08:30–12:00, 13:30–17:30" for the audit trail and the page."""
    return ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in spans)


def _clock(text: str) -> time | None:
    """08:30 (8:30, full-width ０８：３０ too) as a time; None when it is not one."""
    match = _CLOCK.fullmatch(unicodedata.normalize("NFKC", text).strip())
    return time(int(match[1]), int(match[2])) if match else None


def _parsed_row(row: int, start_text: str, end_text: str):
    """One row as (start, end), or its problem; a blank row is None (left out)."""
    if not start_text.strip() and not end_text.strip():
        return None
    start, end = _clock(start_text), _clock(end_text)
    number = row + 1
    if not start_text.strip() or not end_text.strip():
        return IntervalProblem(row, _("第 %(row)d 行：请同时填写开始和结束时间。", row=number))
    if start is None or end is None:
        return IntervalProblem(row, _("第 %(row)d 行：时间须为 时:分 格式（24 小时制），如 08:30。",
                                      row=number))
    if start >= end:
        return IntervalProblem(row, _("第 %(row)d 行：开始时间须早于结束时间。", row=number))
    return start, end


def parse_intervals(rows: list[tuple[str, str]]
                    ) -> tuple[list[tuple[time, time]], list[IntervalProblem]]:
    """The typed rows as sorted (start, end) intervals, or the problems with them: a time not
    in HH:MM, a start not before its end, overlapping rows, none at all, too many."""
    spans, problems = [], []
    for row, (start_text, end_text) in enumerate(rows):
        parsed = _parsed_row(row, start_text, end_text)
        if isinstance(parsed, IntervalProblem):
            problems.append(parsed)
        elif parsed is not None:
            spans.append((*parsed, row))
    spans.sort()
    for (_start, end, row), (next_start, _end, other) in zip(spans, spans[1:], strict=False):
        if next_start < end:
            first, second = sorted((row, other))
            problems.append(IntervalProblem(second, _(
                "第 %(row)d 行与第 %(other)d 行的时段重叠。", row=second + 1, other=first + 1)))
    if not spans and not problems:
        problems.append(IntervalProblem(None, _("至少需要一个工作时段。")))
    if len(spans) > MAX_INTERVALS:
        problems.append(IntervalProblem(None, _("工作时段最多 %(max)d 段。", max=MAX_INTERVALS)))
    return [(start, end) for start, end, _row in spans], problems


def save_intervals(spans: list[tuple[time, time]], actor) -> bool:
    """Replaces the day's intervals (already parsed and valid); False when nothing changed."""
    before = [(row.starts, row.ends) for row in intervals()]
    if before == spans:
        return False
    db.session.execute(delete(WorkInterval))
    db.session.add_all(WorkInterval(starts=start, ends=end) for start, end in spans)
    audit.record("calendar_intervals_edit", object_type="WorkInterval",
                 object_label=_("工作时段"),
                 changes={"intervals": [interval_text(before), interval_text(spans)]})
    worktime.changed(actor.id, utcnow())
    return True


def exceptions_of(year: int) -> list[WorkdayException]:
    """The exceptions dated in `year`, by date, with who entered them."""
    query = (select(WorkdayException).options(joinedload(WorkdayException.created_by))
             .where(WorkdayException.day.between(date(year, 1, 1), date(year, 12, 31)))
             .order_by(WorkdayException.day))
    return list(db.session.scalars(query))


def _exception_changes(exception: WorkdayException) -> dict:
    """What the audit trail keeps of an exception."""
    return {"day": exception.day, "working": exception.working, "note": exception.note}


def add_exception(day: date, working: bool, note: str, actor) -> WorkdayException:
    """Makes `day` working or non-working; refuses a date that has one already and one that
    would change nothing (the day is already so)."""
    note = (note or "").strip()
    if not note:
        raise CalendarRefused(_("请填写说明，例如“2027 年国庆节放假”。"), "note")
    if len(note) > NOTE_LENGTH:
        raise CalendarRefused(_("说明不能超过 %(max)d 个字。", max=NOTE_LENGTH), "note")
    taken = _("%(day)s 已有例外设置；如需修改，请先删除原设置。", day=day.isoformat())
    if db.session.scalar(select(WorkdayException.id).where(WorkdayException.day == day)):
        raise CalendarRefused(taken, "day")
    if worktime.default_working(day) == working:
        message = (_("%(day)s 本来就是工作日，无需添加例外。", day=day.isoformat()) if working
                   else _("%(day)s 本来就是休息日，无需添加例外。", day=day.isoformat()))
        raise CalendarRefused(message, "working")
    exception = WorkdayException(day=day, working=working, note=note, created_by_id=actor.id)
    try:
        with db.session.begin_nested():  # a concurrent add of the same date loses cleanly
            db.session.add(exception)
    except IntegrityError as error:
        raise CalendarRefused(taken, "day") from error
    audit.record("calendar_exception_add", exception, object_label=day.isoformat(),
                 changes=_exception_changes(exception))
    worktime.changed(actor.id, utcnow())
    return exception


def delete_exception(exception: WorkdayException, actor) -> None:
    """Removes an exception: the day is again as the statutory calendar says."""
    audit.record("calendar_exception_delete", exception, object_label=exception.day.isoformat(),
                 changes=_exception_changes(exception))
    db.session.delete(exception)
    worktime.changed(actor.id, utcnow())


class DayKind(Choice):
    HOLIDAY = ("holiday", _l("法定节假日"))
    MAKE_UP = ("make_up", _l("调休上班"))
    EXCEPTION = ("exception", _l("管理员例外"))


@dataclass(frozen=True)
class PreviewDay:
    """A day of the preview: a statutory holiday, a make-up workday or an exception."""

    day: date
    working: bool
    kind: DayKind
    name: str  # the holiday's name, or the exception's note


@dataclass(frozen=True)
class YearPreview:
    year: int
    covered: bool  # the holiday library knows this year
    days: list[PreviewDay]
    working_days: int
    rest_days: int


def year_preview(year: int, calendar: worktime.WorkCalendar,
                 notes: dict[date, str] | None = None) -> YearPreview:
    """A year's special days as `calendar` has them (`notes`: the exceptions' notes), with
    its count of working days."""
    first = date(year, 1, 1)
    days = [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]
    covered = worktime.FIRST_YEAR <= year <= worktime.LAST_YEAR
    special = []
    for day in days:
        if day in calendar.exceptions:
            special.append(PreviewDay(day, calendar.exceptions[day], DayKind.EXCEPTION,
                                      (notes or {}).get(day, "")))
        elif covered and day in chinese_calendar.holidays:
            special.append(PreviewDay(day, False, DayKind.HOLIDAY,
                                      worktime.holiday_name(day) or ""))
        elif covered and day in chinese_calendar.workdays:
            special.append(PreviewDay(day, True, DayKind.MAKE_UP,
                                      worktime.holiday_name(day) or ""))
    working = sum(calendar.is_working_day(day) for day in days)
    return YearPreview(year, covered, special, working, len(days) - working)


def plug_in() -> None:
    """Names the calendar's audit events and objects for the audit trail."""
    audit_labels.register_actions({
        "calendar_exception_add": _l("添加工作日历例外"),
        "calendar_exception_delete": _l("删除工作日历例外"),
        "calendar_intervals_edit": _l("修改工作时段"),
    })
    audit_labels.register_object("WorkdayException", _l("工作日历例外"), {
        "day": _l("日期"), "working": _l("上班"), "note": _l("说明")})
    audit_labels.register_object("WorkInterval", _l("工作时段"), {"intervals": _l("工作时段")})
