"""Exports of the sales ledger pages: the same scope, clearance and masking as the page, cells
that would be formulas neutralised, exact amounts, every export audited."""

import html
import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, DeptCode, EntryKind, Level, Payment, Role
from app.services.sales.ledger import lists as ledger_lists
from app.services.sales.ledger import statistics as sales_statistics
from tests.factories.customers import make_customer
from tests.factories.people import make_people, make_user
from tests.factories.sales import make_contract, make_entry, make_payment
from tests.support import D, today


@pytest.fixture
def people(app):
    """Two salespeople (李明, 张丽), one cleared for 机密, and their manager."""
    return make_people(app, "seller", "other", "top", "boss", named=("seller", "other"))


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response.headers["Cache-Control"] == "no-store"
    book = load_workbook(BytesIO(response.data), read_only=True)
    rows = [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    # The 合计 row under a table whose page shows totals is checked in
    # tests/sales/test_export_totals.py; these tests read the rows above it.
    return rows[:-1] if len(rows) > 1 and rows[-1][0] == "合计" else rows


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


def test_export_headers_are_marked_for_extraction():
    """The ledger's and 表5-21's export headers are marked with _l where they are defined, so
    `pybabel extract` (keywords _l, lazy_gettext) puts every one of them in the catalogue."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    for module in (ledger_lists, sales_statistics):
        found = {message for _line, message, _comments, _context
                 in extract_from_file("python", Path(module.__file__), keywords=keywords)}
        assert {str(h) for h in module.HEADERS} <= found, module.__name__


def _payment(app, contract, amount, days_ago: int, term_index: int = 0, **fields) -> Payment:
    """A payment `days_ago` days before today with its method, reference and note set."""
    payment = make_payment(app, contract, amount, paid_on=today(app) - timedelta(days=days_ago),
                           term_index=term_index)
    with app.app_context():
        stored = db.session.get(Payment, payment.id)
        for name, value in fields.items():
            setattr(stored, name, value)
        db.session.commit()
    return payment


def _sheets(response) -> list[list[tuple]]:
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    book = load_workbook(BytesIO(response.data), read_only=True)
    return [[tuple(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets]


def _page_history(text: str) -> list[tuple]:
    """The cells of the page's 货款回收记录 table, as text (without the actions cell)."""
    table = re.search(r'id="payment-history">.*?<tbody>(.*?)</tbody>', text, re.S).group(1)
    return [tuple(html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                  for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S))[:-1]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def _as_page(row: tuple) -> tuple:
    """An exported history row as the page shows it (a neutralising apostrophe removed)."""
    paid_on, kind, amount, method, reference, note, reversal = (row + (None,) * 7)[:7]
    return tuple("" if v is None else str(v).removeprefix("'") for v in (
        paid_on.date().isoformat(), kind, f"¥{amount:,.2f}", method, reference, note, reversal))


@pytest.fixture
def paid_contract(app, people):
    """The seller's contract: 预付款 overdue by five days, 验收款 due in ten; three payments,
    one another salesperson recorded on it in their own scope."""
    contract = make_contract(app, make_customer(app, people["seller"], name="回款客户"),
                             terms=(("advance", "300.00", -5), ("acceptance", "700.00", 10)))
    _payment(app, contract, "100.00", 3, method="bank_transfer", reference='=HYPERLINK("http://x")',
             note="-先付一部分")
    _payment(app, contract, "0.10", 1, term_index=1, method="cash", reference="@SUM(A1)",
             note="+补差")
    stray = _payment(app, contract, "50.00", 2, method="check", note="他人范围")
    with app.app_context():
        db.session.get(Payment, stray.id).owner_id = people["other"].id
        db.session.commit()
    return contract


def test_the_payments_export_is_the_page_history_neutralised(app, client, people,
                                                             paid_contract):
    """The export of a contract's 回款记录 holds exactly the payments, columns and values of
    the page's history, in its order and in the same payments scope (a payment in another
    salesperson's scope is on neither), cells that would be formulas neutralised."""
    client.login("seller")
    page = client.get(f"/sales/contracts/{paid_contract.id}/payments").get_data(as_text=True)
    assert f'href="/sales/contracts/{paid_contract.id}/payments/export.xlsx"' in page
    history, _terms = _sheets(client.get(
        f"/sales/contracts/{paid_contract.id}/payments/export.xlsx"))
    assert history[0] == ("回款日期", "款项", "金额", "付款方式", "凭证/流水号", "备注", "红冲")
    assert [_as_page(row) for row in history[1:]] == _page_history(page)
    assert [(row[1], D(row[2]), *row[3:]) for row in history[1:]] == [
        ("预付款", D("100.00"), "银行转账", "\'=HYPERLINK(\"http://x\")", "'-先付一部分", None),
        ("验收款", D("0.10"), "现金", "'@SUM(A1)", "'+补差", None)]
    assert "他人范围" not in page


def test_the_payments_export_has_the_terms_balances_and_is_audited(app, client, people,
                                                                   paid_contract):
    """The second sheet is the page's 付款条款与回款: each term's amount, paid, outstanding,
    due date and overdue days (exact amounts), then the 合计 line; the export is audited
    against the contract."""
    client.login("seller")
    _history, terms = _sheets(client.get(
        f"/sales/contracts/{paid_contract.id}/payments/export.xlsx"))
    assert terms[0] == ("款项", "金额", "已收", "未收", "到期日", "逾期天数", "状态")
    advance, acceptance, total = ((row[0], *map(D, row[1:4]), *row[4:]) for row in terms[1:])
    assert advance[:4] == ("预付款", D("300.00"), D("150.00"), D("150.00"))
    assert (advance[4].date(), advance[5:]) == (today(app) - timedelta(days=5),
                                                (5, "逾期 5 天"))
    assert acceptance[:4] + acceptance[5:] == ("验收款", D("700.00"), D("0.10"), D("699.90"),
                                               None, "未到期")
    assert total == ("合计", D("1000.00"), D("150.10"), D("849.90"), None, None,
                     "其中逾期 ¥150.00")
    with app.app_context():
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export"))
        assert (event.object_type, event.object_id) == ("Contract", paid_contract.id)
        assert event.object_label == f"回款记录 {paid_contract.number}"


def test_the_payments_export_follows_the_pages_policy(app, client, people):
    """Only who may open the page may export it: another salesperson and other departments
    get 404 like on the page, a contract above the manager's clearance is 404, the GM reads
    it; nothing refused is audited as an export."""
    mine = make_contract(app, make_customer(app, people["seller"]))
    top = make_contract(app, make_customer(app, people["top"], name="机密回款客户",
                                           confidentiality=Level.CONFIDENTIAL))
    make_user(app, "cs", dept=DeptCode.SERVICE)
    make_user(app, "gm", role=Role.GM, dept=DeptCode.MANAGEMENT, clearance=Level.CONFIDENTIAL)
    expected = {"seller": (200, 404), "other": (404, 404), "boss": (200, 404),
                "top": (404, 200), "cs": (404, 404), "gm": (200, 200)}
    for user, statuses in expected.items():
        client.login(user)
        observed = tuple(client.get(f"/sales/contracts/{c.id}/payments/export.xlsx").status_code
                         for c in (mine, top))
        page = tuple(client.get(f"/sales/contracts/{c.id}/payments").status_code
                     for c in (mine, top))
        assert (observed, page) == (statuses, statuses), user
    assert len(_exports(app)) == 5  # one per 200 above
