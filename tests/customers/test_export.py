"""The customer list exports exactly what its page shows: same scope, clearance and masks; cells
that a spreadsheet would run as formulas are neutralised; every export is audited."""

from io import BytesIO

from openpyxl import load_workbook

from app.extensions import db
from app.models import AuditEvent, Level
from tests.factories.customers import make_customer
from tests.factories.people import make_user


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data), read_only=True)
    return [tuple(row) for row in book.active.iter_rows(values_only=True)]


def test_the_export_follows_scope_clearance_search_and_masking(client, app):
    me = make_user(app, "sales1")
    other = make_user(app, "sales2")
    top = make_user(app, "sales_top", clearance=Level.CONFIDENTIAL)
    mine = make_customer(app, me, name="导出甲有限公司", phone="13912345678")
    make_customer(app, me, name="另一个客户有限公司")
    make_customer(app, other, name="导出乙有限公司")
    make_customer(app, top, name="导出丙有限公司", confidentiality=Level.SECRET)
    client.login("sales1")
    rows = _sheet(client.get("/customers/export.xlsx?q=导出"))
    assert rows[0][:2] == ("客户编号", "客户名称")
    assert [r[1] for r in rows[1:]] == ["导出甲有限公司"]
    assert rows[1][0] == mine.number and rows[1][3] == "139****5678"
    assert "13912345678" not in str(rows)
    directory = _sheet(client.get("/customers/export.xlsx?view=directory&q=导出"))
    assert sorted(r[1] for r in directory[1:]) == ["导出乙有限公司", "导出甲有限公司"]
    assert "联系电话" not in directory[0]


def test_formulas_are_neutralised(client, app):
    me = make_user(app, "sales1")
    make_customer(app, me, name="=HYPERLINK(\"http://x\")有限公司", contact_name="@SUM(A1)")
    make_customer(app, me, name="+1+1有限公司", contact_name="-2")
    client.login("sales1")
    rows = _sheet(client.get("/customers/export.xlsx"))
    cells = [value for row in rows[1:] for value in row if isinstance(value, str)]
    assert not [c for c in cells if c[0] in "=+-@"]
    assert "'=HYPERLINK(\"http://x\")有限公司" in cells and "'@SUM(A1)" in cells


def test_exports_are_audited(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    client.get("/customers/export.xlsx?grade=A")
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="export").one()
    assert "grade=A" in event.changes
