"""Sales results: 月份销售实绩统计表 per salesperson (销售额, 销货退回, 销货折让, 销货净额, 成本,
毛利, 毛利率) and the top customers by 销售额, growth over the previous period (新客户 when
there was none) and 销售利润率, all in exact Decimals from sums made by the database."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import EntryKind, Level, Role, SalesEntry, User
from app.policy import scope
from app.services import results
from tests.factories import make_customer, make_user
from tests.sales.ledger_helpers import D, make_contract, make_entry

MARCH = date(2026, 3, 10)


@pytest.fixture
def people(app):
    return {"seller": make_user(app, "seller", full_name="李明"),
            "other": make_user(app, "other", full_name="张丽"),
            "boss": make_user(app, "boss", role=Role.MANAGER, clearance=Level.SECRET)}


def _scoped(username):
    user = db.session.scalar(select(User).where(User.username == username))
    return scope(select(SalesEntry), user, SalesEntry)


def test_month_results_arithmetic_with_returns_and_allowances(app, people):
    """销售 1000.10 + 499.90, 退回 100 (cost 60), 折让 50.05, cost of sales 900:
    净额 1349.95, 成本 840, 毛利 509.95, 毛利率 37.78%; other months are not counted."""
    contract = make_contract(app, make_customer(app, people["seller"]))
    make_entry(app, contract, unit_price="1000.10", cost="600.00", entry_date=MARCH)
    make_entry(app, contract, unit_price="499.90", cost="300.00", entry_date=date(2026, 3, 31))
    make_entry(app, contract, unit_price="100.00", cost="60.00", kind=EntryKind.RETURN,
               entry_date=date(2026, 3, 1))
    make_entry(app, contract, unit_price="50.05", kind=EntryKind.ALLOWANCE, entry_date=MARCH)
    make_entry(app, contract, unit_price="7777.00", entry_date=date(2026, 4, 1))
    make_entry(app, contract, unit_price="8888.00", entry_date=date(2026, 2, 28))
    with app.app_context():
        found = results.month_results(_scoped("seller"), MARCH)
    (person,) = found.people
    assert (person.label, person.sales, person.returns, person.allowances) == (
        "李明", D("1500.00"), D("100.00"), D("50.05"))
    assert (person.net, person.cost, person.gross, person.margin) == (
        D("1349.95"), D("840.00"), D("509.95"), D("37.78"))
    assert found.total.net == D("1349.95")


def test_month_results_per_salesperson_within_the_scope(app, people):
    """The manager sees a line per salesperson and their total; staff only their own line."""
    for owner, amount in (("seller", "100.00"), ("other", "250.00")):
        make_entry(app, make_contract(app, make_customer(app, people[owner])),
                   unit_price=amount, entry_date=MARCH)
    with app.app_context():
        manager = results.month_results(_scoped("boss"), MARCH)
        staff = results.month_results(_scoped("seller"), MARCH)
    assert [(p.label, p.sales) for p in manager.people] == [("张丽", D("250.00")),
                                                            ("李明", D("100.00"))]
    assert manager.total.sales == D("350.00")
    assert [p.label for p in staff.people] == ["李明"] and staff.total.sales == D("100.00")


def test_margin_is_not_a_number_without_net_sales():
    """毛利率 of zero net sales is shown as —, never a division by zero."""
    empty = results.Figures("", D("0"), D("0"), D("0"), D("0"))
    assert empty.margin is None and results.ratio(D("1"), D("3")) == D("33.33")


def test_previous_period_has_the_same_length():
    """March (31 days) is compared with the 31 days before it."""
    assert results.previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (
        date(2026, 1, 29), date(2026, 2, 28))


def _customer_with_sales(app, owner, name, now, before=None, cost=None):
    contract = make_contract(app, make_customer(app, owner, name=name))
    make_entry(app, contract, unit_price=now, entry_date=MARCH, cost=cost)
    if before:
        make_entry(app, contract, unit_price=before, entry_date=MARCH - timedelta(days=31))
    return contract


def test_key_customers_by_sales_growth_and_margin(app, people):
    """Growth = (this − previous) / previous; a customer with no previous sales is 新客户 and
    comes after the ranked ones, not first with an infinite rate."""
    seller = people["seller"]
    _customer_with_sales(app, seller, "翻倍客户", "200.00", before="100.00", cost="150.00")
    _customer_with_sales(app, seller, "下滑客户", "50.00", before="100.00", cost="10.00")
    _customer_with_sales(app, seller, "新增客户", "1000.00", cost="900.00")
    with app.app_context():
        key = results.key_customers(_scoped("seller"), date(2026, 3, 1), date(2026, 3, 31))
    assert [c.label for c in key.by_sales] == ["新增客户", "翻倍客户", "下滑客户"]
    assert [(c.label, c.growth, c.is_new) for c in key.by_growth] == [
        ("翻倍客户", D("100.00"), False), ("下滑客户", D("-50.00"), False),
        ("新增客户", None, True)]
    assert [(c.label, c.margin) for c in key.by_margin] == [
        ("下滑客户", D("80.00")), ("翻倍客户", D("25.00")), ("新增客户", D("10.00"))]


def test_at_most_ten_customers_per_ranking(app, people):
    """Twelve customers: each ranking lists ten, the largest first."""
    for i in range(12):
        _customer_with_sales(app, people["seller"], f"客户{i:02d}", f"{100 + i}.00")
    with app.app_context():
        key = results.key_customers(_scoped("seller"), date(2026, 3, 1), date(2026, 3, 31))
    assert len(key.by_sales) == 10 and key.by_sales[0].label == "客户11"
    assert len(key.by_growth) == 10 and all(c.is_new for c in key.by_growth)


def test_the_page_shows_both_tables_and_validates_the_period(app, client, people):
    """The page renders 表5-11 and 重点客户; a bad month or an inverted period is 422 with a
    Chinese message."""
    _customer_with_sales(app, people["seller"], "页面客户", "123.45")
    client.login("seller")
    html = client.get("/sales/results/?month=2026-03&date_from=2026-03-01&date_to=2026-03-31")
    text = html.get_data(as_text=True)
    assert html.status_code == 200
    assert re.search(r'id="month-total">.*?data-col="sales">¥123.45<', text, re.S)
    assert "页面客户" in text and "新客户" in text
    bad_month = client.get("/sales/results/?month=2026-13")
    assert bad_month.status_code == 422
    assert "请按 年-月 填写月份" in bad_month.get_data(as_text=True)
    inverted = client.get("/sales/results/?date_from=2026-03-31&date_to=2026-03-01")
    assert inverted.status_code == 422
    assert "截止日期不能早于起始日期" in inverted.get_data(as_text=True)
    assert client.get("/sales/results/export.xlsx?month=2026-13").status_code == 422
