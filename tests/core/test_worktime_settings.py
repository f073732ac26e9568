"""Administrators' calendar edits (services/core/worktime_settings.py): they change what the
calendar computes, bump version(), are audited, and tell the subscribers once committed."""

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, insert, select, update

from app.extensions import db
from app.models import AuditEvent
from app.models.calendar import CalendarState, WorkdayException, WorkInterval
from app.services.core import worktime
from app.services.core import worktime_settings as settings
from app.services.core.worktime import WORK, calendar_for
from app.services.core.worktime_settings import CalendarRefused
from tests.factories.people import make_people


@pytest.fixture
def admin(app):
    return make_people(app, "admin")["admin"]


@pytest.fixture
def calls():
    """A subscriber that notes each call and reads the database, as the SLA recompute does."""
    seen = []

    def subscriber():
        seen.append(db.session.scalar(select(func.count()).select_from(WorkInterval)))

    worktime.on_change(subscriber)
    yield seen
    worktime._callbacks.remove(subscriber)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_an_interval_edit_changes_results_and_bumps_the_version(app_ctx, admin, calls):
    """One interval 09:00–18:00 (no lunch break): 11:00 + 2 h is 13:00, the version goes up,
    and the subscriber ran once, after the commit (it saw the new single row)."""
    assert calendar_for(WORK).add(at("2026-09-14 11:00"), 120) == at("2026-09-14 14:30")
    before = worktime.version()
    assert settings.save_intervals([(time(9), time(18))], admin)
    assert calls == []  # not before the commit
    db.session.commit()
    assert calls == [1]
    assert worktime.version() == before + 1
    assert calendar_for(WORK).add(at("2026-09-14 11:00"), 120) == at("2026-09-14 13:00")


def test_a_rolled_back_edit_changes_nothing_and_tells_nobody(app_ctx, admin, calls):
    """Rolled back: same results, same version, no subscriber call, now or at a later commit."""
    before = worktime.version()
    settings.save_intervals([(time(9), time(18))], admin)
    db.session.rollback()
    db.session.commit()
    assert calls == []
    assert worktime.version() == before
    assert calendar_for(WORK).add(at("2026-09-14 11:00"), 120) == at("2026-09-14 14:30")


def test_saving_the_same_intervals_is_no_edit(app_ctx, admin, calls):
    """Nothing changed: no version bump, no audit event, no recompute."""
    assert not settings.save_intervals([(time(8, 30), time(12)), (time(13, 30), time(17, 30))],
                                       admin)
    db.session.commit()
    assert calls == [] and worktime.version() == 0


def test_an_edit_committed_elsewhere_is_seen_through_the_version(app, admin):
    """Another process's edit (no commit hook here) reaches this process's cached calendar
    through the stored version, read afresh in each app context (request or job)."""
    with app.app_context():
        assert calendar_for(WORK).is_working_day(date(2026, 9, 14))
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(insert(WorkdayException.__table__).values(
                day=date(2026, 9, 14), working=False, note="停电", created_by_id=admin.id,
                created_at=datetime(2026, 9, 1)))
            conn.execute(update(CalendarState.__table__).values(version=7))
        cal = calendar_for(WORK)
        assert cal.version == 7 and not cal.is_working_day(date(2026, 9, 14))


def test_an_exception_overrides_the_library_both_ways(app_ctx, admin, calls):
    """National Day 2 Oct made working, 30 Sep made a rest day: the calendar follows both,
    and each edit is audited and told to the subscribers."""
    settings.add_exception(date(2026, 10, 2), True, "赶工", admin)
    settings.add_exception(date(2026, 9, 30), False, "公司活动", admin)
    db.session.commit()
    cal = calendar_for(WORK)
    assert cal.is_working_day(date(2026, 10, 2)) and not cal.is_working_day(date(2026, 9, 30))
    assert cal.add(at("2026-09-29 17:00"), 60) == at("2026-10-02 09:00")
    assert calls == [2] and worktime.version() == 2
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "WorkdayException")).all()
    assert actions == ["calendar_exception_add"] * 2


def test_deleting_an_exception_gives_the_day_back_to_the_library(app_ctx, admin):
    """After the deletion, 2 Oct is a National Day holiday again."""
    exception = settings.add_exception(date(2026, 10, 2), True, "赶工", admin)
    db.session.commit()
    settings.delete_exception(exception, admin)
    db.session.commit()
    assert not calendar_for(WORK).is_working_day(date(2026, 10, 2))
    assert db.session.scalar(select(func.count()).select_from(WorkdayException)) == 0


def test_an_exception_fills_a_year_the_library_lacks(app_ctx, admin):
    """For a year without holiday data, an exception makes a weekday a holiday."""
    day = date(worktime.LAST_YEAR + 1, 10, 1)
    while day.weekday() >= 5:
        day = day.replace(day=day.day + 1)
    settings.add_exception(day, False, "国庆节", admin)
    db.session.commit()
    assert not calendar_for(WORK).is_working_day(day)


@pytest.mark.parametrize(("day", "working", "note", "field", "message"), [
    (date(2026, 10, 2), False, "国庆", "working", "本来就是休息日"),
    (date(2026, 10, 10), True, "调休", "working", "本来就是工作日"),
    (date(2026, 10, 2), True, "  ", "note", "请填写说明"),
    (date(2026, 10, 2), True, "长" * 201, "note", "不能超过 200 个字"),
])
def test_an_exception_that_changes_nothing_or_lacks_a_note_is_refused(
        app_ctx, admin, day, working, note, field, message):
    """Each refusal names its field in Chinese; nothing is saved."""
    with pytest.raises(CalendarRefused) as refused:
        settings.add_exception(day, working, note, admin)
    assert refused.value.field == field and message in refused.value.message


def test_a_second_exception_for_the_same_date_is_refused(app_ctx, admin):
    """One exception per date: the second says the date has one."""
    settings.add_exception(date(2026, 10, 2), True, "赶工", admin)
    db.session.commit()
    with pytest.raises(CalendarRefused) as refused:
        settings.add_exception(date(2026, 10, 2), True, "再次", admin)
    assert refused.value.field == "day" and "已有例外设置" in refused.value.message


@pytest.mark.parametrize(("rows", "message"), [
    ([("8:30", "12:00")], None),
    ([("０８：３０", " 12:00 ")], None),
    ([("08:30", "")], "请同时填写开始和结束时间"),
    ([("8.30", "12:00")], "时:分 格式"),
    ([("25:00", "26:00")], "时:分 格式"),
    ([("12:00", "08:30")], "开始时间须早于结束时间"),
    ([("12:00", "12:00")], "开始时间须早于结束时间"),
    ([("08:30", "12:00"), ("11:00", "13:00")], "第 2 行与第 1 行的时段重叠"),
    ([("", ""), ("", "")], "至少需要一个工作时段"),
    ([(f"{h:02d}:00", f"{h:02d}:30") for h in range(7)], "最多 6 段"),
])
def test_intervals_are_validated(rows, message):
    """HH:MM times, start before end, no overlaps, one to six intervals; Chinese messages."""
    spans, problems = settings.parse_intervals(rows)
    if message is None:
        assert problems == [] and spans == [(time(8, 30), time(12))]
    else:
        assert any(message in p.message for p in problems), problems


def test_year_preview_lists_holidays_make_up_days_and_exceptions(app_ctx, admin):
    """2026: National Day holidays, the 调休 Saturday 10 Oct, and an exception with its note."""
    settings.add_exception(date(2026, 12, 31), False, "年终盘点", admin)
    db.session.commit()
    preview = settings.year_preview(2026, calendar_for(WORK), {date(2026, 12, 31): "年终盘点"})
    kinds = {d.day: (d.kind.value, d.working, d.name) for d in preview.days}
    assert kinds[date(2026, 10, 1)] == ("holiday", False, "国庆节")
    assert kinds[date(2026, 10, 10)] == ("make_up", True, "国庆节")
    assert kinds[date(2026, 12, 31)] == ("exception", False, "年终盘点")
    assert preview.covered and preview.working_days + preview.rest_days == 365
