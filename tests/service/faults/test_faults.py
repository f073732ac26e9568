"""故障分析报告: the first report and its completion are sent to the customer's owner and the 客服
manager; the rules of the values; the print and the export. Each test states its rule."""

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.models import User
from app.models.service.roster import FaultReport, FaultStatus
from app.services.service.faults import operations
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.service import make_service_record
from tests.service.faults.conftest import complete_fault, make_fault
from tests.support import fetch, notices, now, pdf_text, sheet


@pytest.fixture
def team(app):
    people = make_people(app, "cs1", "cs_mgr", "sales1", "sales2", named=True)
    people["customer"] = make_customer(app, people["sales1"], name="华信科技有限公司")
    people["other"] = make_customer(app, people["sales2"], name="远航物流有限公司")
    return people


def test_reporting_and_completing_tell_the_owner_and_the_manager(app, team):
    """The first report and the completion each reach the customer's owner in sales and the
    客服 manager (分管经理), never the reporter; the report takes the customer's level."""
    report = make_fault(app, team["cs1"], team["customer"])
    assert report.number.startswith("GZ-") and report.status == FaultStatus.OPEN
    assert notices(app, team["sales1"]) == ["fault_reported"]
    assert notices(app, team["cs_mgr"]) == ["fault_reported"]
    assert notices(app, team["cs1"]) == []
    complete_fault(app, report, team["cs_mgr"])
    assert notices(app, team["sales1"]) == ["fault_reported", "fault_completed"]
    assert notices(app, team["cs_mgr"]) == ["fault_reported"]
    assert fetch(app, FaultReport, report.id).status == FaultStatus.COMPLETED


def _refusal(app, reporter, **fields):
    with app.app_context(), pytest.raises(operations.Refused) as refused:
        values = dict(customer_id=None, occurred_at=datetime(2026, 3, 2, 9, 0), place="机房",
                      symptoms="宕机", plan="切换")
        values.update(fields)
        operations.report_fault(operations.FaultData(**values), db.session.get(User, reporter.id))
    return refused.value


def test_a_future_time_and_another_customers_record_are_refused(app, team):
    """发生时间 cannot be in the future; a linked record must be the same customer's."""
    other = make_service_record(app, team["cs1"], team["other"])
    future = _refusal(app, team["cs1"], customer_id=team["customer"].id,
                      occurred_at=now(app) + timedelta(hours=2))
    assert future.field == "occurred_at"
    foreign = _refusal(app, team["cs1"], customer_id=team["customer"].id,
                       record_number=other.number)
    assert foreign.field == "record_number"


def test_completion_needs_every_part_of_the_analysis_and_happens_once(client, app, team):
    """影响、处理情况、原因分析、纠正预防措施 are all required; a completed report is read-only."""
    report = make_fault(app, team["cs1"], team["customer"])
    client.login("cs1")
    url = f"/service/faults/{report.id}/complete"
    response = client.post_form(url, {"impact": "中断", "handling": "", "cause": "老化",
                                      "actions": "巡检"})
    assert response.status_code == 422
    assert fetch(app, FaultReport, report.id).status == FaultStatus.OPEN
    response = client.post_form(url, {"impact": "中断", "handling": "更换", "cause": "老化",
                                      "actions": "巡检"})
    assert response.status_code == 303
    assert client.get(url).status_code == 403


def test_the_form_reports_a_fault(client, app, team):
    """The new-report form saves the four first-report fields and shows the report."""
    client.login("cs1")
    response = client.post_form("/service/faults/new", {
        "customer_id": team["customer"].id, "occurred_at": "2026-03-02T09:30",
        "place": "数据中心", "symptoms": "整机宕机", "plan": "启用备机"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "数据中心" in page and "启用备机" in page


def test_print_and_export_carry_the_report(client, app, team):
    """The PDF shows the report and its analysis; the export has a row per report."""
    report = make_fault(app, team["cs1"], team["customer"])
    complete_fault(app, report, team["cs_mgr"])
    client.login("sales1")
    text = pdf_text(client.get(f"/service/faults/{report.id}/print.pdf").data)
    assert "故障分析报告" in text and "电源模块老化" in text
    rows = sheet(client.get("/service/faults/export.xlsx"))
    assert rows[1][0] == report.number and rows[1][8] == "电源模块老化"
