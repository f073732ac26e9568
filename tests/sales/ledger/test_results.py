"""Sales results: 月份销售实绩统计表 per salesperson (销售额, 销货退回, 销货折让, 销货净额, 成本,
毛利, 毛利率) and the top customers by 销售额, growth over the previous period (新客户 when
there was none) and 销售利润率, all in exact Decimals from sums made by the database."""

import re
from datetime import date, timedelta
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import EntryKind, SalesEntry, User
from app.policy import scope
from app.services.sales.ledger import results
from tests.factories.customers import make_customer
from tests.factories.sales import make_contract, make_entry
from tests.support import D

MARCH = date(2026, 3, 10)


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


def test_a_sale_or_return_without_cost_makes_gross_and_margin_unknown(app, people):
    """A 销售 or 退回 row with a blank 成本 has an unknown cost, not a cost of 0: that
    salesperson's and the total line's 毛利 and 毛利率 are unknown (None) with those rows
    counted, while 成本 sums the costs entered; a 折让 carries no cost and never makes the
    margin unknown; an explicit cost of 0 is a known cost."""
    mine = make_contract(app, make_customer(app, people["seller"]))
    make_entry(app, mine, unit_price="1000.00", cost="600.00", entry_date=MARCH)
    make_entry(app, mine, unit_price="500.00", entry_date=MARCH)
    make_entry(app, mine, unit_price="100.00", kind=EntryKind.RETURN, entry_date=MARCH)
    make_entry(app, mine, unit_price="900.00", entry_date=date(2026, 4, 1))  # another month
    theirs = make_contract(app, make_customer(app, people["other"]))
    make_entry(app, theirs, unit_price="200.00", cost="0.00", entry_date=MARCH)
    make_entry(app, theirs, unit_price="20.00", kind=EntryKind.ALLOWANCE, entry_date=MARCH)
    with app.app_context():
        found = results.month_results(_scoped("boss"), MARCH)
    other, seller = found.people
    assert (seller.label, seller.net, seller.cost, seller.missing_cost) == (
        "李明", D("1400.00"), D("600.00"), 2)
    assert (seller.cost_known, seller.gross, seller.margin) == (False, None, None)
    assert (other.label, other.missing_cost, other.gross, other.margin) == (
        "张丽", 0, D("180.00"), D("100.00"))
    assert (found.total.missing_cost, found.total.gross, found.total.margin) == (2, None, None)
    assert found.total.cost == D("600.00")


def test_customers_with_a_cost_missing_are_not_ranked_by_margin(app, people):
    """A blank cost must not read as a 100 % margin: a customer whose sales carry no cost, or
    only some of them, is left out of 销售利润率前10名 (its margin is unknown) though it is still
    ranked by 销售额; a customer with an entered cost of 0 is ranked at 100 %."""
    seller = people["seller"]
    _customer_with_sales(app, seller, "无成本客户", "5000.00")
    partial = _customer_with_sales(app, seller, "部分成本客户", "300.00", cost="30.00")
    make_entry(app, partial, unit_price="700.00", entry_date=MARCH)
    _customer_with_sales(app, seller, "完整客户", "100.00", cost="80.00")
    _customer_with_sales(app, seller, "零成本客户", "50.00", cost="0.00")
    with app.app_context():
        key = results.key_customers(_scoped("seller"), date(2026, 3, 1), date(2026, 3, 31))
    assert [c.label for c in key.by_sales] == ["无成本客户", "部分成本客户", "完整客户",
                                               "零成本客户"]
    assert [(c.label, c.margin) for c in key.by_margin] == [("零成本客户", D("100.00")),
                                                            ("完整客户", D("20.00"))]
    missing = {c.label: (c.missing_cost, c.margin) for c in key.by_sales}
    assert missing["无成本客户"] == (1, None) and missing["部分成本客户"] == (1, None)


def test_the_page_and_export_show_a_missing_cost_instead_of_a_margin(app, client, people):
    """The month line and the total read 成本未录入 for 毛利 and 毛利率 with the number of rows
    missing their cost, on the page and in the export; the customer without cost is absent
    from the margin top 10 but listed by sales."""
    _customer_with_sales(app, people["seller"], "缺成本客户", "800.00")
    _customer_with_sales(app, people["seller"], "有成本客户", "100.00", cost="75.00")
    client.login("seller")
    query = "?month=2026-03&date_from=2026-03-01&date_to=2026-03-31"
    text = client.get(f"/sales/results/{query}").get_data(as_text=True)
    total = re.search(r'id="month-total">(.*?)</tr>', text, re.S).group(1)
    assert re.search(r'data-col="gross">[^<]*<span[^>]*>成本未录入<', total)
    assert re.search(r'data-col="margin">[^<]*<span[^>]*>成本未录入<', total)
    assert 'data-missing-cost="1"' in total and "1 笔未录成本" in total
    margin_table = re.search(r'id="top-margin">(.*?)</table>', text, re.S).group(1)
    sales_table = re.search(r'id="top-sales">(.*?)</table>', text, re.S).group(1)
    assert "缺成本客户" not in margin_table and "有成本客户" in margin_table
    assert "25.00%" in margin_table and "缺成本客户" in sales_table
    book = load_workbook(BytesIO(client.get(f"/sales/results/export.xlsx{query}").data),
                         read_only=True)
    month, key = ([tuple(row) for row in sheet.iter_rows(values_only=True)]
                  for sheet in book.worksheets)
    assert month[0][-3:] == ("毛利", "毛利率", "未录成本（笔）")
    assert month[1][0] == "李明" and month[1][-3:] == ("成本未录入", "成本未录入", 1)
    assert month[-1][0] == "合计" and month[-1][-3:] == ("成本未录入", "成本未录入", 1)
    margins = [(row + (None,) * 7)[5:7] for row in key[1:]]  # trailing blanks are not stored
    assert margins == [("有成本客户", "25.00%"), (None, None)]


# (name, previous period's sales, this period's sales, this period's cost; None: not entered)
RANKED = [
    ("g1", "100.00", "300.00", "150.00"),     # growth 200.00, margin 50.00
    ("g2", "10.00", "30.00", "3.00"),         # growth 200.00 (less sales), margin 90.00
    ("g3", "100.00", "150.00", None),         # growth 50.00; cost missing (would be 100 %)
    ("g4", "100.00", "140.00", "161.00"),     # growth 40.00, margin −15.00
    ("gB", "30000.00", "40000.00", "26666.67"),  # growth 33.33; margin 33.333325 → 33.33
    ("gA", "3000.00", "4000.01", "2666.67"),  # 33.3337 → 33.33; margin 33.33342 → 33.33
    ("g5", "80.00", "100.00", "60.00"),       # growth 25.00, margin 40.00
    ("gC", "200.00", "224.69", None),         # growth exactly 12.345 → 12.35 (half up)
    ("gD", "100.00", "112.35", None),         # growth 12.35, tied with gC on fewer sales
    ("gF", "10000.00", "8765.00", "4382.50"),  # growth −12.35, margin 50.00
    ("gE", "200.00", "175.31", "1000.00"),    # growth −12.345 → −12.35 (away from zero)
    ("mH", None, "200.00", "175.31"),         # new; margin exactly 12.345 → 12.35
    ("mI", None, "100.00", "87.65"),          # new; margin 12.35, fewer sales
    ("mJ", None, "200.00", "224.69"),         # new; margin −12.345 → −12.35
    ("mK", None, "1000.00", "1123.50"),       # new; margin −12.35, more sales
]


def _reference(customers: list[dict]) -> tuple[list, list, list]:
    """The top tens as sorting every customer in Python gives them (the rule: by the rounded
    ratio descending, ties by sales descending, then by customer id)."""
    def first(rows, key):
        return [c["name"] for c in sorted(rows, key=lambda c: (-key(c), -c["sales"], c["id"]))
                ][:results.TOP]
    growth = [c for c in customers if c["previous"] > 0]
    new = [c for c in customers if c["previous"] <= 0 and c["sales"] > 0]
    priced = [c for c in customers if c["cost"] is not None and c["sales"] > 0]
    by_growth = first(growth, lambda c: results.ratio(c["sales"] - c["previous"], c["previous"]))
    return (first(customers, lambda c: c["sales"]),
            (by_growth + first(new, lambda c: c["sales"]))[:results.TOP],
            first(priced, lambda c: results.ratio(c["sales"] - c["cost"], c["sales"])))


def test_the_database_top_tens_equal_sorting_every_customer(app, people):
    """Each ranking is ordered and cut to ten by the database (ORDER BY … LIMIT) with exactly
    the result of ranking every customer in Python: the same half-up rounding of the ratio (a
    tie after rounding goes to the larger 销售额, not to the larger unrounded ratio), negative
    ratios rounded away from zero, customers with a cost missing left out of the margins."""
    customers = []
    for name, before, now, cost in RANKED:
        contract = make_contract(app, make_customer(app, people["seller"], name=name))
        make_entry(app, contract, unit_price=now, cost=cost, entry_date=MARCH)
        if before:
            make_entry(app, contract, unit_price=before, entry_date=MARCH - timedelta(days=31))
        customers.append({"name": name, "id": contract.customer_id, "sales": D(now),
                          "previous": D(before or "0"), "cost": cost and D(cost)})
    with app.app_context():
        key = results.key_customers(_scoped("seller"), date(2026, 3, 1), date(2026, 3, 31))
    found = tuple([c.label for c in ranked] for ranked in (key.by_sales, key.by_growth,
                                                           key.by_margin))
    assert found == _reference(customers)
    assert found[1] == ["g1", "g2", "g3", "g4", "gB", "gA", "g5", "gC", "gD", "gF"]
    assert found[2] == ["g2", "gF", "g1", "g5", "gB", "gA", "mH", "mI", "mK", "mJ"]
    assert [c.growth for c in key.by_growth[-3:]] == [D("12.35"), D("12.35"), D("-12.35")]
    assert [c.margin for c in key.by_margin[-4:]] == [D("12.35"), D("12.35"), D("-12.35"),
                                                      D("-12.35")]
