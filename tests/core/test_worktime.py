"""The working-time calendar (services/core/worktime.py): working intervals with a lunch break,
statutory holidays and make-up workdays (调休), 7×24 time, and its inverse minutes_between."""

import random
from datetime import date, datetime, time, timedelta

import chinese_calendar
import pytest

from app.models.calendar import DEFAULT_INTERVALS
from app.services.core import worktime
from app.services.core.worktime import FULL, WORK, WorkCalendar, calendar_for

WORK_CAL = WorkCalendar(DEFAULT_INTERVALS)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_response_across_the_lunch_break_resumes_after_it():
    """2 working hours from 11:00: one hour before lunch, one after 13:30 → 14:30."""
    assert WORK_CAL.add(at("2026-09-14 11:00"), 120) == at("2026-09-14 14:30")


def test_time_that_runs_out_at_an_intervals_end_lands_on_that_end():
    """The earliest moment the time has passed: 12:00, not 13:30 (and 17:30, not tomorrow)."""
    assert WORK_CAL.add(at("2026-09-14 08:30"), 210) == at("2026-09-14 12:00")
    assert WORK_CAL.add(at("2026-09-14 13:30"), 240) == at("2026-09-14 17:30")


def test_a_make_up_saturday_counts_as_working():
    """2026-10-10 (Saturday) is a 调休 workday for National Day, so time runs on it."""
    assert date(2026, 10, 10).weekday() == 5 and chinese_calendar.is_workday(date(2026, 10, 10))
    assert WORK_CAL.is_working_day(date(2026, 10, 10))
    assert WORK_CAL.add(at("2026-10-09 17:00"), 60) == at("2026-10-10 09:00")


def test_a_make_up_sunday_counts_as_working():
    """2026-09-20 (Sunday) is a 调休 workday: Friday 17:00 + 1 h lands on it, not on Monday."""
    assert WORK_CAL.is_working_day(date(2026, 9, 20))
    assert not WORK_CAL.is_working_day(date(2026, 9, 19))
    assert WORK_CAL.add(at("2026-09-18 17:00"), 60) == at("2026-09-20 09:00")


def test_a_span_across_national_day_skips_the_holiday():
    """From 30 Sep 16:00, 2 h: 1.5 h that day, then 1–7 Oct are holidays → 8 Oct 09:00."""
    assert not any(WORK_CAL.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert WORK_CAL.add(at("2026-09-30 16:00"), 120) == at("2026-10-08 09:00")
    assert WORK_CAL.minutes_between(at("2026-09-30 08:00"), at("2026-10-08 08:00")) == 450


def test_time_left_at_the_end_of_a_day_rolls_over_to_the_next_working_morning():
    """Tuesday 17:00 + 1 h: half an hour today, the rest from 08:30 on Wednesday."""
    assert WORK_CAL.add(at("2026-09-15 17:00"), 60) == at("2026-09-16 09:00")
    assert WORK_CAL.add(at("2026-09-15 20:00"), 30) == at("2026-09-16 09:00")


def test_several_whole_days_are_stepped_over():
    """3 working days (3 × 7.5 h) from Monday 08:30 end on Wednesday 17:30."""
    assert WORK_CAL.add(at("2026-09-14 08:30"), 3 * 450) == at("2026-09-16 17:30")
    assert WORK_CAL.add(at("2026-09-14 00:00"), 3 * 450 + 1) == at("2026-09-17 08:31")


def test_a_start_on_a_non_working_day_starts_at_the_next_working_interval():
    """Saturday 2026-09-12 10:00 + 1 h → Monday 09:30; a start at lunch waits for 13:30."""
    assert WORK_CAL.add(at("2026-09-12 10:00"), 60) == at("2026-09-14 09:30")
    assert WORK_CAL.add(at("2026-09-14 12:30"), 10) == at("2026-09-14 13:40")
    assert WORK_CAL.add(at("2026-10-03 09:00"), 1) == at("2026-10-08 08:31")


def test_zero_minutes_is_the_start_itself_and_negative_is_refused():
    """Nothing to pass: the start; a negative duration is a caller's mistake."""
    assert WORK_CAL.add(at("2026-09-12 10:00"), 0) == at("2026-09-12 10:00")
    with pytest.raises(ValueError):
        WORK_CAL.add(at("2026-09-12 10:00"), -1)


def test_the_24x7_calendar_includes_holidays_and_nights():
    """「含节假日」: 4 h from National Day 22:00 is 02:00 the next (holiday) morning."""
    full = calendar_for(FULL)
    assert full.add(at("2026-10-01 22:00"), 240) == at("2026-10-02 02:00")
    assert full.minutes_between(at("2026-10-01 00:00"), at("2026-10-08 00:00")) == 7 * 1440
    assert full.is_working_day(date(2026, 10, 1))
    assert full.add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 5)


def test_minutes_between_counts_working_time_in_the_half_open_span():
    """Only the working intervals of working days, [start, end); 0 for an empty span."""
    assert WORK_CAL.minutes_between(at("2026-09-14 11:00"), at("2026-09-14 14:30")) == 120
    assert WORK_CAL.minutes_between(at("2026-09-12 00:00"), at("2026-09-14 00:00")) == 0
    assert WORK_CAL.minutes_between(at("2026-09-14 14:30"), at("2026-09-14 11:00")) == 0
    assert WORK_CAL.minutes_between(at("2026-09-07 00:00"), at("2026-09-14 00:00")) == 5 * 450
    # The week with the 调休 Sunday (20 Sep) has six working days.
    assert WORK_CAL.minutes_between(at("2026-09-14 00:00"), at("2026-09-21 00:00")) == 6 * 450


@pytest.mark.parametrize("calendar", [WORK_CAL, worktime.FullCalendar()], ids=[WORK, FULL])
def test_minutes_between_is_the_inverse_of_add(calendar):
    """For any start (seconds included) and duration: minutes_between(s, add(s, m)) == m,
    and add gives the earliest such moment (one minute less lands earlier)."""
    rng = random.Random(20261001)
    first = datetime(2025, 12, 1)
    for _ in range(3000):
        start = first + timedelta(seconds=rng.randrange(400 * 86400))
        minutes = rng.choice((1, 30, 120, 450, 451, rng.randrange(1, 20000)))
        end = calendar.add(start, minutes)
        assert calendar.minutes_between(start, end) == minutes, (start, minutes)
        assert calendar.add(start, minutes - 1) < end


def test_several_intervals_a_day_in_any_order():
    """Three intervals given out of order are used in order of the day."""
    cal = WorkCalendar([(time(18, 0), time(20, 0)), (time(9, 0), time(12, 0)),
                        (time(13, 0), time(17, 0))])
    assert cal.add(at("2026-09-14 16:00"), 120) == at("2026-09-14 19:00")
    assert cal.day_length == timedelta(hours=9)


def test_add_working_days_counts_working_days_only():
    """「5个工作日内」 from 29 Sep: 30 Sep, 8, 9, 10 (Saturday 调休), 12 Oct."""
    assert WORK_CAL.add_working_days(date(2026, 9, 29), 5) == date(2026, 10, 12)
    assert WORK_CAL.add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert WORK_CAL.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)


def test_a_year_the_library_lacks_falls_back_to_monday_to_friday():
    """Beyond the holiday data (2027 with chinese-calendar 1.11): weekdays work, weekends
    rest, until an administrator enters that year's exceptions."""
    year = worktime.LAST_YEAR + 1
    assert worktime.statutory_working(date(year, 1, 1)) is None
    days = [date(year, 3, 1) + timedelta(days=n) for n in range(14)]
    assert [WORK_CAL.is_working_day(d) for d in days] == [d.weekday() < 5 for d in days]


def test_exceptions_override_the_statutory_calendar_both_ways():
    """An exception makes a holiday working and a working day a rest day."""
    cal = WorkCalendar(DEFAULT_INTERVALS, {date(2026, 10, 2): True, date(2026, 9, 30): False})
    assert cal.is_working_day(date(2026, 10, 2)) and not cal.is_working_day(date(2026, 9, 30))
    assert cal.add(at("2026-09-29 17:00"), 60) == at("2026-10-02 09:00")


def test_calendar_for_refuses_an_unknown_code(app_ctx):
    """Only "work" and "24x7" exist: a typo is an error, not silently calendar time."""
    with pytest.raises(ValueError):
        calendar_for("weekdays")


def test_the_working_calendar_comes_from_the_database(app_ctx):
    """Fresh installation: 08:30–12:00 and 13:30–17:30, version 0, the same object twice."""
    cal = calendar_for(WORK)
    assert cal.add(at("2026-09-14 11:00"), 120) == at("2026-09-14 14:30")
    assert worktime.version() == 0 and cal.version == 0
    assert calendar_for(WORK) is cal
    assert worktime.add_working_days(date(2026, 9, 29), 5) == date(2026, 10, 12)


def test_holiday_names_are_chinese_and_name_make_up_days_too(app_ctx):
    """国庆节 for 1 Oct and for its 调休 Saturday 10 Oct; nothing for an ordinary day or a
    year the library lacks."""
    assert worktime.holiday_name(date(2026, 10, 1)) == "国庆节"
    assert worktime.holiday_name(date(2026, 10, 10)) == "国庆节"
    assert worktime.holiday_name(date(2026, 10, 12)) is None
    assert worktime.holiday_name(date(worktime.LAST_YEAR + 1, 1, 1)) is None
