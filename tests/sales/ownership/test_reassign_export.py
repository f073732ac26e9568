"""Export of 离职人员交接 (/sales/reassign/export.xlsx): the page's list of departed salespeople
and what they still hold, in the same scope and clearance as the page, cells that would be
formulas neutralised, audited; the sales manager's and the GM's only."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ContractStatus, Level
from tests.factories.customers import make_customer
from tests.factories.people import deactivate, make_people
from tests.factories.sales import make_contract, make_visit


@pytest.fixture
def team(app):
    """Two salespeople who leave, the second named as on paper; the first's name and number
    would be formulas in a spreadsheet."""
    return make_people(app, "leaver", "top_leaver", "sales1", "sales_mgr", "cs_mgr", "gm",
                       named=("top_leaver",),
                       leaver={"full_name": "=HYPERLINK(\"http://x\")", "employee_no": "-E001"})


@pytest.fixture
def departed(app, team):
    """The leaver: two customers (one secret), an open and a closed contract, a planned visit;
    the top leaver: a confidential customer only. Both have left."""
    first = make_customer(app, team["leaver"])
    secret = make_customer(app, team["leaver"], confidentiality=Level.SECRET)
    make_contract(app, first, ContractStatus.ACTIVE)
    make_contract(app, first, ContractStatus.CLOSED)
    make_visit(app, secret)
    make_customer(app, team["top_leaver"], confidentiality=Level.CONFIDENTIAL)
    deactivate(app, team["leaver"])
    deactivate(app, team["top_leaver"])


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    book = load_workbook(BytesIO(response.data), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_the_manager_exports_the_pages_list_neutralised_and_audited(app, client, team,
                                                                    departed):
    """The sales manager (秘密) gets the rows of the page — name, 工号 and the counts of
    customers, open contracts and planned visits, and of what other departments hand over
    (客服部's open records and due visits) — without the confidential leaver the page does not
    show either; names that would be formulas are neutralised; audited."""
    client.login("sales_mgr")
    page = client.get("/sales/reassign/").get_data(as_text=True)
    assert 'href="/sales/reassign/export.xlsx"' in page and "机密离职人员" not in page
    rows = _rows(client.get("/sales/reassign/export.xlsx"))
    assert rows == [("离职人员", "工号", "客户", "未结合同", "拜访计划", "未办结服务记录",
                     "待办回访"),
                    ("'=HYPERLINK(\"http://x\")", "'-E001", 2, 1, 1, 0, 0)]
    with app.app_context():
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export"))
        assert (event.object_label, event.actor_id) == ("离职人员交接", team["sales_mgr"].id)


def test_the_gm_exports_every_departed_owner_by_name(client, team, departed):
    """The GM, cleared for 机密, gets both departed owners, in the page's order (by name)."""
    client.login("gm")
    rows = _rows(client.get("/sales/reassign/export.xlsx"))
    assert [row[:3] for row in rows[1:]] == [("'=HYPERLINK(\"http://x\")", "'-E001", 2),
                                             ("机密离职人员", "E0002", 1)]


@pytest.mark.parametrize("user", ["sales1", "cs_mgr"])
def test_the_export_is_refused_to_everyone_else(client, team, departed, user):
    """Staff and other departments' managers get 403, as on the page."""
    client.login(user)
    assert client.get("/sales/reassign/export.xlsx").status_code == 403
