"""Visit plans (表5-28) and reports (表5-29): records belong where their customer belongs, forms
refuse bad dates with Chinese messages, a report fulfils its plan, a plan is cancelled only
while planned, and a stale edit is refused."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.config import TestConfig
from app.extensions import db
from app.models import AuditEvent, CustomerType, Level, VisitPlan, VisitReport
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.sales import make_plan, make_report
from tests.support import fetch, now, today


@pytest.fixture
def team(app):
    """sales1 and sales2 (staff), their manager, and a customer of each salesperson."""
    people = make_people(app, "sales1", "sales2", "sales_mgr", sales1=Level.SECRET)
    s1, s2 = people["sales1"], people["sales2"]
    mine = make_customer(app, s1, name="拜访甲有限公司", type=CustomerType.INTENT,
                         confidentiality=Level.SECRET)
    theirs = make_customer(app, s2, name="拜访乙有限公司")
    return {"s1": s1, "s2": s2, "mine": mine, "theirs": theirs}


def _plan_form(chosen, **fields):
    """A plan form; an int `planned_date` is a number of days from today."""
    days = fields.pop("planned_date", 0)
    planned = (_today() + timedelta(days=days)).isoformat() if isinstance(days, int) else days
    return {"customer": chosen.id, "planned_date": planned, "purpose": "介绍新产品",
            "expected_time": "09:30-11:00", "contact_name": "王经理", **fields}


def _today():
    """Today in the company's time zone (what app.timeutil.local_today answers)."""
    return datetime.now(ZoneInfo(TestConfig.BABEL_DEFAULT_TIMEZONE)).date()


def _report_form(app, customer, **fields):
    visited = now(app) - timedelta(hours=1)
    return {"customer": customer.id, "visited_at": visited.strftime("%Y-%m-%dT%H:%M"),
            "contact_met": "王经理", "purpose": "回访", "content": "介绍了方案",
            "interest": "high", "next_meeting_date": (visited.date() + timedelta(days=7))
            .isoformat(), **fields}


def _plans(app) -> list[VisitPlan]:
    with app.app_context():
        return list(db.session.scalars(select(VisitPlan).order_by(VisitPlan.id)))


def test_a_plan_copies_the_customers_scope_and_type(client, app, team):
    """The plan belongs to the customer's owner, department and level; its customer type
    defaults to the customer's."""
    client.login("sales1")
    response = client.post_form("/sales/visits/plans/new", _plan_form(team["mine"]))
    assert response.status_code == 303
    plan = _plans(app)[0]
    assert (plan.owner_id, plan.department_id, plan.confidentiality) == (
        team["s1"].id, team["mine"].department_id, Level.SECRET)
    assert plan.customer_type == CustomerType.INTENT
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "visit_plan_created"))
    assert json.loads(event.changes)["purpose"] == [None, "介绍新产品"]


def test_staff_may_only_plan_for_their_own_customers(client, app, team):
    client.login("sales1")
    response = client.post_form("/sales/visits/plans/new", _plan_form(team["theirs"]))
    assert response.status_code == 422
    assert "请选择您负责范围内的客户。" in response.get_data(as_text=True)
    assert _plans(app) == []


def test_a_manager_plans_for_a_department_customer_owned_by_its_salesperson(client, app, team):
    client.login("sales_mgr")
    response = client.post_form("/sales/visits/plans/new", _plan_form(team["theirs"]))
    assert response.status_code == 303
    assert _plans(app)[0].owner_id == team["s2"].id


@pytest.mark.parametrize("fields, message", [
    ({"planned_date": -1}, "计划日期不能早于今天。"),
    ({"planned_date": 400}, "计划日期不能超过一年以后。"),
    ({"planned_date": ""}, "请填写计划日期。"),
    ({"purpose": " "}, "请填写拜访目的。"),
    ({"customer": ""}, "请选择客户。"),
    ({"purpose": "长" * 201}, "不能超过 200 个字。"),
])
def test_invalid_plans_are_refused_in_chinese(client, app, team, fields, message):
    client.login("sales1")
    response = client.post_form("/sales/visits/plans/new", _plan_form(team["mine"], **fields))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _plans(app) == []


def test_a_report_fulfils_its_plan_once(client, app, team):
    """Recording a report for a plan marks the plan done; a second report on it is refused."""
    plan = make_plan(app, team["mine"])
    client.login("sales1")
    url = f"/sales/visits/reports/new?plan={plan.id}"
    form = client.get(url).get_data(as_text=True)
    assert "介绍新产品" in form  # the plan's purpose is offered
    response = client.post_form(url, _report_form(app, team["theirs"]))
    assert response.status_code == 303
    with app.app_context():
        report = db.session.scalar(select(VisitReport))
        assert (report.plan_id, report.customer_id) == (plan.id, team["mine"].id)
        assert report.confidentiality == Level.SECRET
    assert fetch(app, VisitPlan, plan.id).status.value == "done"
    again = client.post_form(url, _report_form(app, team["mine"]))
    assert again.status_code == 303 and "/plans/" in again.headers["Location"]
    with app.app_context():
        assert db.session.query(VisitReport).count() == 1


@pytest.mark.parametrize("change, message", [
    (lambda f, n: {"visited_at": (n + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")},
     "拜访时间不能晚于现在。"),
    (lambda f, n: {"next_meeting_date": f["visited_at"][:10]}, "下次约见时间应晚于本次拜访日期。"),
    (lambda f, n: {"contact_met": ""}, "请填写接洽人。"),
    (lambda f, n: {"content": ""}, "请填写拜访的内容。"),
    (lambda f, n: {"visited_at": ""}, "请填写拜访时间。"),
])
def test_invalid_reports_are_refused_in_chinese(client, app, team, change, message):
    client.login("sales1")
    form = _report_form(app, team["mine"])
    response = client.post_form("/sales/visits/reports/new", {**form, **change(form, now(app))})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(VisitReport).count() == 0


def test_a_report_time_is_entered_locally_and_stored_in_utc(client, app, team):
    client.login("sales1")
    form = _report_form(app, team["mine"], visited_at="2026-01-05T09:30",
                        next_meeting_date="2026-01-12")
    assert client.post_form("/sales/visits/reports/new", form).status_code == 303
    with app.app_context():
        report = db.session.scalar(select(VisitReport))
    assert report.visited_at.isoformat() == "2026-01-05T01:30:00"  # Asia/Shanghai is UTC+8
    html = client.get(f"/sales/visits/reports/{report.id}").get_data(as_text=True)
    assert "2026-01-05 09:30" in html and "很感兴趣" in html


def test_cancelling_a_plan_only_while_planned(client, app, team):
    planned = make_plan(app, team["mine"])
    done = make_plan(app, team["mine"])
    make_report(app, team["mine"], plan=done)
    client.login("sales1")
    assert client.post_form(f"/sales/visits/plans/{planned.id}/cancel", {}).status_code == 303
    assert fetch(app, VisitPlan, planned.id).status.value == "cancelled"
    response = client.post_form(f"/sales/visits/plans/{done.id}/cancel", {}, follow_redirects=True)
    assert "只能取消尚未执行的拜访计划。" in response.get_data(as_text=True)
    assert fetch(app, VisitPlan, done.id).status.value == "done"
    edit = client.get(f"/sales/visits/plans/{planned.id}/edit")
    assert edit.status_code == 303


def test_a_stale_plan_edit_is_refused_and_keeps_what_was_typed(client, app, team):
    plan = make_plan(app, team["mine"])
    client.login("sales1")
    form = _plan_form(team["mine"], purpose="改过的目的", stamp="2000-01-01T00:00:00")
    response = client.post_form(f"/sales/visits/plans/{plan.id}/edit", form)
    assert response.status_code == 422
    assert "已被他人修改" in response.get_data(as_text=True)
    assert fetch(app, VisitPlan, plan.id).purpose == "介绍新产品"
    stamp = fetch(app, VisitPlan, plan.id).updated_at.isoformat()
    saved = client.post_form(f"/sales/visits/plans/{plan.id}/edit", {**form, "stamp": stamp})
    assert saved.status_code == 303
    assert fetch(app, VisitPlan, plan.id).purpose == "改过的目的"


def test_an_overdue_plan_may_keep_its_date_when_edited(client, app, team):
    plan = make_plan(app, team["mine"], planned_date=today(app) - timedelta(days=3))
    client.login("sales1")
    stamp = fetch(app, VisitPlan, plan.id).updated_at.isoformat()
    form = _plan_form(team["mine"], planned_date=plan.planned_date.isoformat(), stamp=stamp,
                      remarks="客户出差，改期")
    assert client.post_form(f"/sales/visits/plans/{plan.id}/edit", form).status_code == 303
    moved = {**form, "planned_date": (today(app) - timedelta(days=1)).isoformat(),
             "stamp": fetch(app, VisitPlan, plan.id).updated_at.isoformat()}
    response = client.post_form(f"/sales/visits/plans/{plan.id}/edit", moved)
    assert response.status_code == 422


def test_editing_a_report_keeps_its_plans_customer(client, app, team):
    plan = make_plan(app, team["mine"])
    report = make_report(app, team["mine"], plan=plan)
    other = make_customer(app, team["s1"], name="拜访丙有限公司")
    client.login("sales1")
    stamp = fetch(app, VisitReport, report.id).updated_at.isoformat()
    form = _report_form(app, other, stamp=stamp, content="补充内容")
    assert client.post_form(f"/sales/visits/reports/{report.id}/edit", form).status_code == 303
    saved = fetch(app, VisitReport, report.id)
    assert (saved.customer_id, saved.content) == (team["mine"].id, "补充内容")
