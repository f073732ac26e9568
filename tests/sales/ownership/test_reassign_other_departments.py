"""离职交接 lists what a departed salesperson still holds in other departments (registered with
services.core.departures: 客服部's open service records as 负责人 and due return visits as
回访人): a leaver holding only these is listed, on the page, the sales home's notice, the
confirmation and the export, with the counts of each kind, and handed over like the rest;
closed work is not counted; counts follow the viewer's clearance; departed people of other
departments are not the sales hand-over's."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import Level
from app.models.service.records import ServiceRecord, ServiceStatus
from app.models.service.visits import ReturnVisit
from tests.factories.customers import make_customer
from tests.factories.people import deactivate, make_people
from tests.factories.service import make_service_record
from tests.service.visits.conftest import make_visit
from tests.support import PASSWORD


@pytest.fixture
def team(app):
    """A departed salesperson who holds no customer, contract or visit plan, but an open and
    a done service record (负责人) and a due return visit of a colleague's customer."""
    people = make_people(app, "leaver", "sales2", "sales_mgr", "cs1", "gm")
    customer = make_customer(app, people["sales2"], name="交接客户有限公司")
    leaver = people["leaver"]
    people["open"] = make_service_record(app, people["cs1"], customer, handler_id=leaver.id,
                                         status=ServiceStatus.PROCESSING)
    make_service_record(app, people["cs1"], customer, handler_id=leaver.id,
                        status=ServiceStatus.CLOSED)
    people["visit"] = make_visit(app, customer, assignee=leaver)
    deactivate(app, leaver)
    return people


def _cells(page: str, user_id: int) -> str:
    """The list's row of one departed person."""
    start = page.index(f'id="departed-{user_id}"')
    return page[start:page.index("</tr>", start)]


def test_a_leaver_holding_only_service_work_is_listed_with_its_counts(client, team):
    """Listed with 0 customers, contracts and visits and 1 open record and 1 due visit (the
    closed record is not counted); the sales home's notice and the export say the same."""
    client.login("sales_mgr")
    row = _cells(client.get("/sales/reassign/").get_data(as_text=True), team["leaver"].id)
    assert 'data-kind="service_records">1<' in row and 'data-kind="return_visits">1<' in row
    alert = client.htmx("GET", "/sales/reassign/alert").get_data(as_text=True)
    assert "未办结服务记录 1 · 待办回访 1" in alert
    sheet = load_workbook(BytesIO(client.get("/sales/reassign/export.xlsx").data)).active
    assert list(sheet.iter_rows(values_only=True))[1][2:] == (0, 0, 0, 1, 1)


def test_the_leavers_service_work_is_confirmed_and_handed_over(app, client, team):
    """The confirmation counts the other departments' records; applying moves them to the
    colleague, says so, and the leaver leaves the list."""
    client.login("sales_mgr")
    leaver, to = team["leaver"].id, team["sales2"].id
    page = client.get(f"/sales/reassign/{leaver}?to={to}").get_data(as_text=True)
    assert 'id="count-service_records">1<' in page and 'id="count-return_visits">1<' in page
    response = client.post_form(f"/sales/reassign/{leaver}", {"to": to, "password": PASSWORD})
    assert response.status_code == 303
    after = client.get(response.location).get_data(as_text=True)
    assert "其他部门的记录一并转交：未办结服务记录 1、待办回访 1。" in after
    assert f'id="departed-{leaver}"' not in after
    with app.app_context():
        assert db.session.get(ServiceRecord, team["open"].id).handler_id == to
        assert db.session.get(ReturnVisit, team["visit"].id).assignee_id == to


def test_counts_follow_the_viewers_clearance(app, client, team):
    """A 机密 open record does not exist for the 秘密 sales manager: a leaver holding only that
    is not listed for them, while the GM (机密) sees it counted."""
    with app.app_context():
        db.session.get(ServiceRecord, team["open"].id).confidentiality = Level.CONFIDENTIAL
        db.session.delete(db.session.get(ReturnVisit, team["visit"].id))
        db.session.commit()
    client.login("sales_mgr")
    assert f'id="departed-{team["leaver"].id}"' not in client.get(
        "/sales/reassign/").get_data(as_text=True)
    client.login("gm")
    row = _cells(client.get("/sales/reassign/").get_data(as_text=True), team["leaver"].id)
    assert 'data-kind="service_records">1<' in row


def test_departed_people_of_other_departments_are_not_listed(app, client, team):
    """A departed 客服 colleague's open records are 客服部's to hand over, not the sales
    hand-over's: neither the sales manager nor the GM is offered them here."""
    customer = make_customer(app, team["sales2"], name="客服交接客户有限公司")
    cs_leaver = make_people(app, "cs2")["cs2"]
    make_service_record(app, team["cs1"], customer, handler_id=cs_leaver.id,
                        status=ServiceStatus.PROCESSING)
    deactivate(app, cs_leaver)
    for persona in ("sales_mgr", "gm"):
        client.login(persona)
        page = client.get("/sales/reassign/").get_data(as_text=True)
        assert f'id="departed-{cs_leaver.id}"' not in page
        assert f'id="departed-{team["leaver"].id}"' in page
