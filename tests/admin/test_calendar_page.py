"""The administrator's calendar page /admin/calendar/: working intervals, dated exceptions with
add and delete (audited, asked before deleting), a year's preview, Chinese refusals."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.blueprints.admin import calendar_routes
from app.extensions import db
from app.models import AuditEvent
from app.models.calendar import WorkdayException, WorkInterval
from app.services.core import worktime
from app.services.core.worktime import WORK, calendar_for
from tests.factories.people import make_people
from tests.support import in_app

PAGE = "/admin/calendar/"


@pytest.fixture
def admin(client, app):
    users = make_people(app, "admin", "cs1")
    client.login("admin")
    return users["admin"]


def exceptions(app) -> list[tuple]:
    with in_app(app):
        return [tuple(row) for row in db.session.execute(select(
            WorkdayException.day, WorkdayException.working, WorkdayException.note))]


def audit_actions(app) -> list[str]:
    with in_app(app):
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("calendar_%")).order_by(AuditEvent.id)))


def test_the_page_shows_intervals_holidays_and_make_up_days(client, admin):
    """2026: the default day, National Day as 法定节假日 and 10 Oct as 调休上班."""
    html = client.get(f"{PAGE}?year=2026").get_data(as_text=True)
    assert "08:30–12:00, 13:30–17:30" in html
    assert "2026-10-01" in html and "国庆节" in html and "调休上班" in html
    assert 'id="not-covered"' not in html
    assert "这一年没有例外日期。" in html


def test_a_year_beyond_the_holiday_data_says_it_falls_back_to_weekdays(client, admin):
    """A year the library lacks: the page says weekdays work and asks for exceptions."""
    year = worktime.LAST_YEAR + 1
    html = client.get(f"{PAGE}?year={year}").get_data(as_text=True)
    assert 'id="not-covered"' in html and "按周一至周五上班" in html


def test_a_bad_year_in_the_link_is_a_400_page(client, admin):
    """?year=abc is a hand-made link: a Chinese 400, never a 500."""
    response = client.get(f"{PAGE}?year=abc")
    assert response.status_code == 400 and "年份无效" in response.get_data(as_text=True)


def test_adding_an_exception_saves_audits_and_lists_it(client, app, admin):
    """A National Day holiday made working: saved with the administrator, audited, listed in
    its year with a delete button that asks first."""
    response = client.post_form("/admin/calendar/exceptions",
                                {"day": "2026-10-02", "working": "1", "note": "赶工交付"})
    assert response.status_code == 303 and "year=2026" in response.location
    assert exceptions(app) == [(date(2026, 10, 2), True, "赶工交付")]
    assert audit_actions(app) == ["calendar_exception_add"]
    html = client.get(f"{PAGE}?year=2026").get_data(as_text=True)
    assert "赶工交付" in html and "确定删除 2026-10-02 的例外设置吗" in html
    with in_app(app):
        assert calendar_for(WORK).is_working_day(date(2026, 10, 2))


@pytest.mark.parametrize(("data", "message"), [
    ({"day": "2026-13-01", "working": "1", "note": "x"}, "请按 年-月-日 填写日期"),
    ({"day": "", "working": "1", "note": "x"}, "请填写日期。"),
    ({"day": "2026-10-02", "working": "1", "note": ""}, "请填写说明"),
    ({"day": "2026-10-02", "working": "maybe", "note": "x"}, "请选择当天上班还是休息"),
    ({"day": "2026-10-02", "working": "0", "note": "x"}, "本来就是休息日"),
])
def test_a_bad_exception_comes_back_with_a_chinese_message(client, app, admin, data, message):
    """Refused with 422, the message on the form, nothing saved."""
    response = client.post_form("/admin/calendar/exceptions", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert exceptions(app) == []


def test_a_duplicate_date_is_refused(client, app, admin):
    """A second exception for a date that has one: 422, 已有例外设置, the first kept."""
    client.post_form("/admin/calendar/exceptions",
                     {"day": "2026-10-02", "working": "1", "note": "赶工"})
    response = client.post_form("/admin/calendar/exceptions",
                                {"day": "2026-10-02", "working": "1", "note": "再来"})
    assert response.status_code == 422
    assert "2026-10-02 已有例外设置" in response.get_data(as_text=True)
    assert exceptions(app) == [(date(2026, 10, 2), True, "赶工")]


def test_deleting_an_exception_restores_the_statutory_day(client, app, admin):
    """Deleted (POST with the token): gone, audited, 2 Oct a holiday again."""
    client.post_form("/admin/calendar/exceptions",
                     {"day": "2026-10-02", "working": "1", "note": "赶工"})
    with in_app(app):
        exception_id = db.session.scalar(select(WorkdayException.id))
    response = client.post_form(f"/admin/calendar/exceptions/{exception_id}/delete", {})
    assert response.status_code == 303
    assert exceptions(app) == []
    assert audit_actions(app) == ["calendar_exception_add", "calendar_exception_delete"]
    with in_app(app):
        assert not calendar_for(WORK).is_working_day(date(2026, 10, 2))


def test_saving_intervals_changes_every_deadline(client, app, admin):
    """Three intervals saved from the form: stored, audited, and used by the calendar."""
    response = client.post_form("/admin/calendar/intervals", {
        "starts": ["08:00", "13:00", ""], "ends": ["11:30", "17:00", ""]})
    assert response.status_code == 303
    assert audit_actions(app) == ["calendar_intervals_edit"]
    with in_app(app):
        assert db.session.scalar(select(func.count()).select_from(WorkInterval)) == 2
        start = datetime(2026, 9, 14, 11, 0)
        assert calendar_for(WORK).add(start, 60) == datetime(2026, 9, 14, 13, 30)


def test_bad_intervals_come_back_with_row_messages_and_save_nothing(client, app, admin):
    """Overlapping rows and a bad time: 422 with each row's Chinese message; the default day
    stays."""
    response = client.post_form("/admin/calendar/intervals", {
        "starts": ["08:30", "11:00", "9点"], "ends": ["12:00", "13:00", "10:00"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第 2 行与第 1 行的时段重叠" in html and "第 3 行：时间须为 时:分 格式" in html
    assert 'value="9点"' in html  # what was typed stays in the form
    assert html.count('name="starts"') == 5  # the three rows sent and two blank ones


def test_a_problem_after_a_blank_row_stays_on_its_row(client, app, admin):
    """Row 1 blank, row 2 bad: the message is on row 2, where the typed value still is."""
    response = client.post_form("/admin/calendar/intervals", {
        "starts": ["", "14:00"], "ends": ["", "13:00"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "第 2 行：开始时间须早于结束时间" in html
    row2 = html.split('aria-label="第 2 行开始时间"')[0].rsplit("<tr>", 1)[1]
    assert 'value="14:00"' in row2 and "is-invalid" in row2
    with in_app(app):
        assert calendar_for(WORK).add(datetime(2026, 9, 14, 11), 120) == datetime(
            2026, 9, 14, 14, 30)
    assert audit_actions(app) == []


def test_the_year_exceptions_export_to_excel(client, app, admin):
    """The exceptions of the year as a workbook, with who entered each; audited as an export."""
    client.post_form("/admin/calendar/exceptions",
                     {"day": "2026-10-02", "working": "1", "note": "赶工"})
    response = client.get("/admin/calendar/export.xlsx?year=2026")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert any("赶工" in row for row in rows)
    with in_app(app):
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "export", AuditEvent.object_type == "WorkdayException")) == 1


def test_only_the_administrator_has_the_calendar_in_the_navigation(client, app, admin):
    """The menu item follows policy: the administrator sees 工作日历, 客服 staff do not."""
    assert 'href="/admin/calendar/"' in client.get("/").get_data(as_text=True)
    client.login("cs1")
    assert 'href="/admin/calendar/"' not in client.get("/").get_data(as_text=True)


def test_the_page_warns_when_next_years_holidays_are_missing(client, admin, monkeypatch):
    """In the library's last year the page asks for next year's exceptions; a year earlier,
    with next year covered, it does not."""
    last = worktime.LAST_YEAR
    monkeypatch.setattr(calendar_routes, "local_today", lambda: date(last, 12, 6))
    html = client.get(PAGE).get_data(as_text=True)
    assert 'id="next-year-missing"' in html and f"{last + 1} 年的放假安排公布后" in html
    monkeypatch.setattr(calendar_routes, "local_today", lambda: date(last - 1, 3, 1))
    assert 'id="next-year-missing"' not in client.get(PAGE).get_data(as_text=True)
