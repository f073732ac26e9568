"""Visit lists: overdue plans (planned, date before app.timeutil.local_today) flagged and counted
on the home page, the 12-month planned vs actual grid by local month, the week (表5-28) and the
daily log (表5-30), and Excel exports with the page's scope, masks and defused formulas."""

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app import policy
from app.blueprints.sales.visits import list_routes
from app.extensions import db
from app.models import AuditEvent, Level, User, VisitPlan, VisitReport
from app.services.core.pagination import capped_count
from app.services.sales.visits import grid as visit_grid
from app.services.sales.visits import lists as visit_lists
from tests.factories.customers import make_contact, make_customer
from tests.factories.people import make_people, make_user
from tests.factories.sales import make_plan, make_report
from tests.support import sheet, today

PHONE = "13912345678"


@pytest.fixture
def team(app):
    people = make_people(app, "sales1", "sales2", "sales_mgr", cleared=Level.INTERNAL,
                         sales1={"full_name": "李明"}, sales2={"full_name": "张丽"})
    s1, s2 = people["sales1"], people["sales2"]
    mine = make_customer(app, s1, name="列表甲有限公司", phone=PHONE)
    theirs = make_customer(app, s2, name="列表乙有限公司")
    return {"s1": s1, "s2": s2, "mine": mine, "theirs": theirs}


def _overdue_plans(app, team) -> dict:
    """Yesterday planned (overdue), today planned, yesterday done and cancelled (not overdue)."""
    day = today(app)
    late = make_plan(app, team["mine"], day - timedelta(days=1), purpose="逾期一")
    make_plan(app, team["mine"], day, purpose="今天的计划")
    done = make_plan(app, team["mine"], day - timedelta(days=1), purpose="做完的计划")
    make_report(app, team["mine"], plan=done)
    cancelled = make_plan(app, team["mine"], day - timedelta(days=2), purpose="已取消")
    with app.app_context():
        db.session.get(VisitPlan, cancelled.id).status = "cancelled"
        db.session.commit()
    other = make_plan(app, team["theirs"], day - timedelta(days=5), purpose="同事逾期")
    return {"late": late, "other": other}


def test_overdue_means_still_planned_with_a_date_before_today(app, team):
    _overdue_plans(app, team)
    with app.app_context():
        user = db.session.get(User, team["s1"].id)
        scoped = policy.scope(select(VisitPlan), user, VisitPlan)
        assert capped_count(visit_lists.overdue(scoped, today(app)), VisitPlan) == (1, False)
        # the day after tomorrow, today's plan is overdue too
        later = today(app) + timedelta(days=2)
        assert capped_count(visit_lists.overdue(scoped, later), VisitPlan) == (2, False)


def test_the_home_page_flags_overdue_visits_in_the_users_scope(client, app, team):
    _overdue_plans(app, team)
    client.login("sales1")
    assert 'data-count="overdue-visits">1<' in client.get("/").get_data(as_text=True)
    client.login("sales_mgr")
    assert 'data-count="overdue-visits">2<' in client.get("/").get_data(as_text=True)
    make_user(app, "cs1", dept="service")
    client.login("cs1")
    assert "overdue-visits" not in client.get("/").get_data(as_text=True)


def test_the_overdue_filter_lists_exactly_the_overdue_plans(client, app, team):
    _overdue_plans(app, team)
    client.login("sales1")
    html = client.get("/sales/visits/?status=overdue").get_data(as_text=True)
    assert "逾期一" in html and "今天的计划" not in html and "做完的计划" not in html
    assert "同事逾期" not in html and "逾期未拜访" in html


def test_the_overdue_list_follows_the_day_though_its_statement_is_kept(client, app, team,
                                                                      monkeypatch):
    """Rule: the list's statement is kept per viewer and filters (kept_rows_page) and the day
    is one of them: the day after tomorrow, today's plan is listed as overdue too."""
    _overdue_plans(app, team)
    client.login("sales1")
    assert "今天的计划" not in client.get("/sales/visits/?status=overdue").get_data(as_text=True)
    later = today(app) + timedelta(days=2)
    monkeypatch.setattr(list_routes, "local_today", lambda: later)
    html = client.get("/sales/visits/?status=overdue").get_data(as_text=True)
    assert "今天的计划" in html and "逾期一" in html


def test_the_month_grid_counts_plans_and_reports_by_local_month(app, team):
    """Plans by planned date (cancelled ones not counted); reports by local visit date: 31 Dec
    23:30 in Shanghai is December, 1 Jan 00:30 is the next year even though both are 31 Dec in
    UTC."""
    year = 2025
    for day in (date(year, 1, 3), date(year, 1, 20), date(year, 3, 5)):
        make_plan(app, team["mine"], day)
    cancelled = make_plan(app, team["mine"], date(year, 3, 9))
    with app.app_context():
        db.session.get(VisitPlan, cancelled.id).status = "cancelled"
        db.session.commit()
    make_report(app, team["mine"], datetime(year, 1, 4, 10, 0))
    make_report(app, team["mine"], datetime(year, 12, 31, 23, 30))
    make_report(app, team["mine"], datetime(year + 1, 1, 1, 0, 30))
    make_report(app, team["theirs"], datetime(year, 1, 5, 10, 0))
    with app.app_context():
        user = db.session.get(User, team["s1"].id)
        plans = policy.scope(select(VisitPlan), user, VisitPlan)
        reports = policy.scope(select(VisitReport), user, VisitReport)
        grid = visit_grid.month_grids(plans, reports, year, [team["mine"].id])[team["mine"].id]
        following = visit_grid.month_grids(plans, reports, year + 1, [team["mine"].id])
    assert grid.planned == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert grid.actual == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert (grid.planned_total, grid.actual_total) == (3, 2)
    assert following[team["mine"].id].actual[0] == 1


def test_the_customer_grid_page_and_export_show_the_counts_with_the_phone_masked(client, app,
                                                                                 team):
    make_contact(app, team["mine"], name="钱经理", mobile="13600001111")
    make_plan(app, team["mine"], date(2025, 2, 3))
    make_report(app, team["mine"], datetime(2025, 2, 4, 9, 0))
    make_report(app, team["mine"], datetime(2025, 2, 14, 9, 0))
    client.login("sales1")
    url = f"/sales/visits/customers/{team['mine'].id}"
    html = client.get(f"{url}?year=2025").get_data(as_text=True)
    assert "钱经理" in html and "136****1111" in html and "13600001111" not in html
    assert 'data-total="planned">1<' in html and 'data-total="actual">2<' in html
    rows = sheet(client.get(f"{url}/export.xlsx?year=2025"))
    assert rows[0][:4] == ("客户名称", "拜访对象", "联系电话", "项目")
    assert rows[1][:4] == ("列表甲有限公司", "钱经理", "136****1111", "计划")
    assert rows[1][5] == 1 and rows[2][5] == 2 and rows[2][-1] == 2
    assert "13600001111" not in str(rows)


def test_the_yearly_overview_lists_only_customers_visited_in_scope(client, app, team):
    make_plan(app, team["mine"], date(2025, 5, 6))
    make_report(app, team["theirs"], datetime(2025, 5, 7, 9, 0))
    client.login("sales1")
    html = client.get("/sales/visits/grid?year=2025").get_data(as_text=True)
    assert "列表甲有限公司" in html and "列表乙有限公司" not in html
    assert "139****5678" in html and PHONE not in html
    client.login("sales_mgr")
    rows = sheet(client.get(f"/sales/visits/grid/export.xlsx?year=2025&owner={team['s2'].id}"))
    assert [r[0] for r in rows[1:]] == ["列表乙有限公司", "列表乙有限公司"]


def test_the_week_shows_monday_to_sunday_with_links_to_the_next_weeks(client, app, team):
    monday = date(2025, 6, 2)
    make_plan(app, team["mine"], monday, purpose="周一拜访")
    make_plan(app, team["mine"], monday + timedelta(days=6), purpose="周日拜访")
    make_plan(app, team["mine"], monday + timedelta(days=7), purpose="下周拜访")
    client.login("sales1")
    html = client.get("/sales/visits/week?week=2025-06-04").get_data(as_text=True)
    assert "周一拜访" in html and "周日拜访" in html and "下周拜访" not in html
    assert "week=2025-06-09" in html and "week=2025-05-26" in html
    rows = sheet(client.get("/sales/visits/week/export.xlsx?week=2025-06-04"))
    assert [r[4] for r in rows[1:]] == ["周一拜访", "周日拜访"]


def test_the_daily_log_groups_a_days_visits_per_salesperson(client, app, team):
    day = date(2025, 6, 3)
    make_report(app, team["mine"], datetime(2025, 6, 3, 9, 0), purpose="上午拜访",
                interest="high", follow_up_actions="发送报价单")
    make_report(app, team["theirs"], datetime(2025, 6, 3, 15, 0), purpose="下午拜访")
    make_report(app, team["mine"], datetime(2025, 6, 4, 9, 0), purpose="第二天")
    client.login("sales_mgr")
    html = client.get(f"/sales/visits/daily?date={day.isoformat()}").get_data(as_text=True)
    assert html.count('class="mb-4 daily-group"') == 2
    assert "上午拜访" in html and "下午拜访" in html and "第二天" not in html
    rows = sheet(client.get(f"/sales/visits/daily/export.xlsx?date={day.isoformat()}"))
    assert rows[0] == ("拜访人", "序号", "访问客户", "访问时间", "访问目的", "结果", "后续行动")
    assert {(r[0], r[3], r[4]) for r in rows[1:]} == {("李明", "09:00", "上午拜访"),
                                                      ("张丽", "15:00", "下午拜访")}
    client.login("sales1")
    assert "下午拜访" not in client.get(f"/sales/visits/daily?date={day}").get_data(as_text=True)


def test_the_list_export_follows_the_pages_scope_and_filters_and_is_audited(client, app, team):
    make_plan(app, team["mine"], date(2025, 7, 1), purpose="七月计划")
    make_plan(app, team["mine"], date(2025, 8, 1), purpose="八月计划")
    make_plan(app, team["theirs"], date(2025, 7, 2), purpose="同事计划")
    client.login("sales1")
    query = "start=2025-07-01&end=2025-07-31"
    html = client.get(f"/sales/visits/?{query}").get_data(as_text=True)
    assert "七月计划" in html and "八月计划" not in html and "同事计划" not in html
    rows = sheet(client.get(f"/sales/visits/export.xlsx?{query}"))
    assert rows[0][:3] == ("计划日期", "客户编号", "客户名称")
    assert [r[4] for r in rows[1:]] == ["七月计划"]
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert "start=2025-07-01" in json.loads(event.changes)["query"]


def test_exported_formulas_are_neutralised(client, app, team):
    make_plan(app, team["mine"], date(2025, 7, 1), purpose="=HYPERLINK(\"http://x\")",
              contact_name="@SUM(A1)", remarks="+1+1")
    make_report(app, team["mine"], datetime(2025, 7, 1, 9, 0), content="-2+3",
                contact_met="=1+1")
    client.login("sales1")
    for url in ("/sales/visits/export.xlsx", "/sales/visits/export.xlsx?kind=reports",
                "/sales/visits/week/export.xlsx?week=2025-07-01"):
        cells = [v for row in sheet(client.get(url))[1:] for v in row if isinstance(v, str)]
        assert cells and not [c for c in cells if c[0] in "=+-@"], url
    rows = sheet(client.get("/sales/visits/export.xlsx?kind=reports"))
    assert "'=1+1" in rows[1] and "'-2+3" in rows[1]


def test_an_htmx_filter_request_gets_only_the_results(client, app, team):
    make_plan(app, team["mine"], date(2025, 7, 1), purpose="七月计划")
    client.login("sales1")
    response = client.htmx("GET", "/sales/visits/?q=列表甲")
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="results">') and "七月计划" in html
    assert "HX-Request" in response.headers["Vary"]
