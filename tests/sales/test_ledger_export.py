"""Exports of the sales ledger pages: the same scope, clearance and masking as the page, cells
that would be formulas neutralised, exact amounts, every export audited."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, DeptCode, EntryKind, Level, Role
from tests.factories import make_customer, make_user
from tests.sales.ledger_helpers import D, make_contract, make_entry, make_payment, today


@pytest.fixture
def people(app):
    return {"seller": make_user(app, "seller", full_name="李明"),
            "other": make_user(app, "other", full_name="张丽"),
            "top": make_user(app, "top", clearance=Level.CONFIDENTIAL),
            "boss": make_user(app, "boss", role=Role.MANAGER, clearance=Level.SECRET)}


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response.headers["Cache-Control"] == "no-store"
    book = load_workbook(BytesIO(response.data), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _exports(app) -> list[str]:
    with app.app_context():
        return [e.object_label for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export"))]


def test_the_ledger_export_masks_neutralises_and_keeps_the_scope(app, client, people):
    """Only the user's rows; phones in 联系方式 masked; =formulas neutralised; paid/owed as on
    the page; the export is audited."""
    contract = make_contract(app, make_customer(app, people["seller"], name="华信有限公司"))
    make_entry(app, contract, unit_price="100.00", product="=HYPERLINK(\"http://x\")",
               contact_name="王经理 13812345678", cost="60.00")
    make_entry(app, make_contract(app, make_customer(app, people["other"], name="他人公司")))
    make_payment(app, contract, "40.00")
    client.login("seller")
    rows = _sheet(client.get("/sales/ledger/export.xlsx"))
    header, body = rows[0], rows[1:]
    assert header[:10] == ("日期", "客户名称", "联系方式", "产品名称", "规格型号", "数量", "单价",
                           "金额", "已付货款", "欠款")
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=False))  # trailing empty cells are not stored
    assert row["客户名称"] == "华信有限公司" and row["联系方式"] == "王经理 138****5678"
    assert row["产品名称"] == "'=HYPERLINK(\"http://x\")"
    assert (D(row["金额"]), D(row["已付货款"]), D(row["欠款"])) == (D("100"), D("40"), D("60"))
    assert row["类别"] == "销售" and row["业务员"] == "李明"
    assert _exports(app) == ["年度产品销售台账"]


def test_the_ledger_export_follows_the_page_filters(app, client, people):
    """The same query string gives the same rows."""
    contract = make_contract(app, make_customer(app, people["seller"]))
    make_entry(app, contract, product="主机")
    make_entry(app, contract, product="退回主机", kind=EntryKind.RETURN)
    client.login("seller")
    rows = _sheet(client.get("/sales/ledger/export.xlsx?kind=return"))
    assert [r[3] for r in rows[1:]] == ["退回主机"]


def test_rows_above_the_users_clearance_are_not_exported(app, client, people):
    """The manager (秘密) exports the department's rows except the 机密 one."""
    secret = make_contract(app, make_customer(app, people["top"], confidentiality=Level.SECRET,
                                              name="秘密客户"))
    top_secret = make_contract(app, make_customer(app, people["top"], name="机密客户",
                                                  confidentiality=Level.CONFIDENTIAL))
    make_entry(app, secret)
    make_entry(app, top_secret)
    client.login("boss")
    assert [r[1] for r in _sheet(client.get("/sales/ledger/export.xlsx"))[1:]] == ["秘密客户"]


def test_receivables_statistics_and_results_exports_are_scoped_and_audited(app, client, people):
    """Each report's export holds only the user's contracts, with exact amounts."""
    mine = make_contract(app, make_customer(app, people["seller"], name="我的客户"),
                         terms=(("advance", "0.30", -3),))
    make_contract(app, make_customer(app, people["other"], name="别人的客户"),
                  terms=(("advance", "5.00", -3),))
    make_payment(app, mine, "0.10")
    make_entry(app, mine, unit_price="0.30", cost="0.10")
    client.login("seller")
    aging = _sheet(client.get("/sales/receivables/export.xlsx"))
    assert [(r[1], D(r[-1])) for r in aging[1:]] == [("我的客户", D("0.20"))]
    statistics = _sheet(client.get("/sales/statistics/export.xlsx"))
    assert [(r[3], D(r[8])) for r in statistics[1:]] == [("我的客户", D("1000.00"))]
    assert statistics[1][9].endswith("¥0.10")
    month = today(app).strftime("%Y-%m")
    results = _sheet(client.get(f"/sales/results/export.xlsx?month={month}"))
    assert (results[1][0], D(results[1][1])) == (people["seller"].full_name, D("0.30"))
    assert sorted(_exports(app)) == sorted(["应收账款账龄（按客户）", "销售合同统计台账",
                                            "销售实绩"])


def test_exports_are_refused_outside_sales(app, client, people):
    """Other departments get 403 for every sales export."""
    make_user(app, "cs", dept=DeptCode.SERVICE)
    client.login("cs")
    for url in ("/sales/ledger/export.xlsx", "/sales/receivables/export.xlsx",
                "/sales/statistics/export.xlsx", "/sales/results/export.xlsx"):
        assert client.get(url).status_code == 403, url
