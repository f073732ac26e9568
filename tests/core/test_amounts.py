"""Contract money is exact: line amounts and totals in Decimal to the fen (half up), and the
人民币大写 of the review form follows the 支付结算 writing rules."""

from decimal import Decimal

import pytest

from app.services.core.money import line_amount, rmb_upper, total
from app.services.sales.contracts.data import ContractData, LineData


def test_three_times_ten_fen_is_exactly_thirty_fen():
    """3 × 0.10 = 0.30 (a float would give 0.30000000000000004)."""
    assert line_amount(Decimal("3"), Decimal("0.10")) == Decimal("0.30")
    assert str(line_amount(Decimal("3"), Decimal("0.10"))) == "0.30"


@pytest.mark.parametrize(("quantity", "price", "amount"), [
    ("1.005", "1.00", "1.01"),  # half a fen rounds up, not to even
    ("1.004", "1.00", "1.00"),
    ("0.125", "0.10", "0.01"),  # 0.0125
    ("2.5", "0.01", "0.03"),  # 0.025
    ("3", "33.33", "99.99"),
    ("999999999", "999.99", "999989999000.01"),
])
def test_line_amounts_round_half_up_to_the_fen(quantity, price, amount):
    assert line_amount(Decimal(quantity), Decimal(price)) == Decimal(amount)


def test_the_total_is_the_exact_sum_of_the_rounded_lines():
    """Ten lines of 0.1 × 1.00 add up to 1.00 exactly; each line is rounded before summing."""
    lines = [LineData("螺丝", None, "个", Decimal("0.1"), Decimal("1.00")) for _ in range(10)]
    contract = ContractData(name="x", customer_id=1, kind="sales", lines=lines)
    assert contract.total == Decimal("1.00")
    halves = [LineData("垫片", None, "个", Decimal("1.005"), Decimal("1.00"))] * 2
    doubled = ContractData(name="x", customer_id=1, kind="sales", lines=halves)
    assert doubled.total == Decimal("2.02")
    assert total([]) == Decimal("0.00")


@pytest.mark.parametrize(("amount", "words"), [
    ("0", "零元整"),
    ("0.05", "伍分"),
    ("0.50", "伍角整"),
    ("1", "壹元整"),
    ("1.05", "壹元零伍分"),
    ("10", "壹拾元整"),
    ("10.50", "壹拾元伍角整"),
    ("15", "壹拾伍元整"),
    ("101", "壹佰零壹元整"),
    ("1005", "壹仟零伍元整"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("10000", "壹万元整"),
    ("100000", "壹拾万元整"),
    ("105000", "壹拾万伍仟元整"),
    ("100500", "壹拾万零伍佰元整"),
    ("499999.99", "肆拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("500000.00", "伍拾万元整"),
    ("1000005", "壹佰万零伍元整"),
    ("1010000", "壹佰零壹万元整"),
    ("100000000", "壹亿元整"),
    ("100005000", "壹亿零伍仟元整"),
    ("100050000", "壹亿零伍万元整"),
    ("123456789.12", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
    ("-3.20", "负叁元贰角整"),
])
def test_amounts_in_chinese_capitals(amount, words):
    assert rmb_upper(Decimal(amount)) == words


def test_capitals_round_to_the_fen_first():
    assert rmb_upper(Decimal("1.005")) == "壹元零壹分"
