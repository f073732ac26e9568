"""值班情况登记表: planning, filling in, hours, the month's export and print, and the holiday
coverage. Each test states its rule."""

from datetime import date
from decimal import Decimal

import pytest

from app.models.service.roster import DutyShift
from tests.factories.people import make_people
from tests.service.roster.conftest import make_duty
from tests.support import fetch, pdf_text, sheet


@pytest.fixture
def team(app):
    return make_people(app, "cs1", "cs2", "cs_mgr", "sales1", named=True)


def test_the_manager_plans_one_duty_per_person_and_day(client, team):
    """A second duty of the same person on the same day is refused; a salesperson cannot be
    put on 客服部's roster."""
    client.login("cs_mgr")
    plan = {"duty_date": "2026-10-01", "user_id": team["cs1"].id}
    assert client.post_form("/service/roster/new", plan).status_code == 303
    again = client.post_form("/service/roster/new", plan)
    assert again.status_code == 422 and "已有值班登记" in again.get_data(as_text=True)
    sales = client.post_form("/service/roster/new", {**plan, "user_id": team["sales1"].id})
    assert sales.status_code == 422 and "客服部在职人员" in sales.get_data(as_text=True)


@pytest.mark.parametrize(("hours", "accepted"), [("7.5", True), ("24", True), ("0", False),
                                                 ("24.5", False), ("7.555", False),
                                                 ("八", False), ("-1", False)])
def test_hours_are_more_than_zero_and_at_most_a_day(client, app, team, hours, accepted):
    """工作时长 is an exact number of hours, above 0, at most 24, two decimals at most."""
    shift = make_duty(app, team["cs_mgr"], team["cs1"], date(2026, 10, 1))
    client.login("cs1")
    response = client.post_form(f"/service/roster/{shift.id}/edit", {
        "hours": hours, "work_content": "巡检网站", "seen": _stamp(app, shift)})
    assert (response.status_code == 303) is accepted
    saved = fetch(app, DutyShift, shift.id).hours
    assert saved == (Decimal(hours) if accepted else None)


def _stamp(app, shift) -> str:
    return fetch(app, DutyShift, shift.id).updated_at.isoformat()


def test_staff_fill_in_their_duty_but_cannot_move_it(client, app, team):
    """The person on duty fills in 交接时间、工作内容、工作时长、备注; the day and the person
    they send are ignored (only the manager replans); another's duty does not exist for them."""
    shift = make_duty(app, team["cs_mgr"], team["cs1"], date(2026, 10, 1))
    other = make_duty(app, team["cs_mgr"], team["cs2"], date(2026, 10, 1))
    client.login("cs1")
    response = client.post_form(f"/service/roster/{shift.id}/edit", {
        "duty_date": "2026-10-09", "user_id": team["cs2"].id, "handover_at": "2026-10-01T08:30",
        "work_content": "监控各网站运行", "hours": "8", "remarks": "无异常",
        "seen": _stamp(app, shift)})
    assert response.status_code == 303
    saved = fetch(app, DutyShift, shift.id)
    assert (saved.duty_date, saved.user_id) == (date(2026, 10, 1), team["cs1"].id)
    assert (saved.work_content, saved.hours) == ("监控各网站运行", Decimal(8))
    assert client.get(f"/service/roster/{other.id}/edit").status_code == 404


def test_a_stale_form_is_not_saved_over_a_later_change(client, app, team):
    """Two edits of the same duty: the second, made on the old version, is refused (422)."""
    shift = make_duty(app, team["cs_mgr"], team["cs1"], date(2026, 10, 1))
    seen = _stamp(app, shift)
    client.login("cs1")
    assert client.post_form(f"/service/roster/{shift.id}/edit",
                            {"hours": "8", "seen": seen}).status_code == 303
    stale = client.post_form(f"/service/roster/{shift.id}/edit", {"hours": "4", "seen": seen})
    assert stale.status_code == 422 and 'id="edit-conflict"' in stale.get_data(as_text=True)
    assert fetch(app, DutyShift, shift.id).hours == Decimal(8)


def test_export_and_print_show_the_month_with_its_total(client, app, team):
    """The month's workbook and print list its duties in day order with the total hours."""
    make_duty(app, team["cs_mgr"], team["cs1"], date(2026, 10, 2), hours=Decimal("7.5"))
    make_duty(app, team["cs_mgr"], team["cs2"], date(2026, 10, 1), hours=Decimal(8))
    make_duty(app, team["cs_mgr"], team["cs2"], date(2026, 11, 1), hours=Decimal(3))
    client.login("cs_mgr")
    rows = sheet(client.get("/service/roster/export.xlsx?month=2026-10"))
    assert [r[:2] for r in rows[1:3]] == [("2026-10-01", "孙服务"), ("2026-10-02", "钱客服")]
    assert [r[4] for r in rows[1:3]] == [8, 7.5]
    assert rows[-1][4] == "=SUBTOTAL(109,E2:E3)"  # the 合计 row sums the month
    text = pdf_text(client.get("/service/roster/print.pdf?month=2026-10").data)
    assert "值班情况登记表" in text and "15.5" in text


def test_a_bad_month_is_a_clear_400(client, team):
    """A month that is not YYYY-MM is refused with a page, never a 500."""
    client.login("cs_mgr")
    assert client.get("/service/roster/?month=2026-13").status_code == 400


def test_holiday_coverage_shows_the_uncovered_days(client, app, team):
    """国庆节 2026 (10-01 to 10-07) is listed day by day; a day with a duty shows its person,
    the others are 无人值班; an ordinary weekend is no holiday."""
    make_duty(app, team["cs_mgr"], team["cs1"], date(2026, 10, 1))
    client.login("cs_mgr")
    html = client.get("/service/roster/holidays?year=2026").get_data(as_text=True)
    assert "国庆节" in html and "春节" in html
    october_first = html.split('id="day-2026-10-01"')[1].split("</tr>")[0]
    assert "钱客服" in october_first
    assert "无人值班" in html.split('id="day-2026-10-02"')[1].split("</tr>")[0]
    assert 'id="day-2026-03-07"' not in html  # a plain Saturday
