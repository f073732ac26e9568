"""Sign what you see, for a reversal (红冲) above the threshold: the approval card shows the row
it undoes under its reversal page's labels (choices as their labels, the customer and contract
by number and name), the original amount and the reversal's in figures and in 人民币大写, and
the reason; the inbox row shows the customer and the amount reversed."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import EntryKind, Payment
from app.models.sales.ledger import PaymentMethod, ReversalRequest
from tests.factories.approvals import latest_request_id
from tests.factories.cards import card_of_page, field, figures_of, render_card
from tests.factories.customers import make_customer
from tests.factories.sales import make_contract, make_entry, make_payment

RAW_KEYS = ("target_id", "reversal_amount", "unit_price", "bank_transfer", "advance")


@pytest.fixture
def contract(app, people):
    customer = make_customer(app, people["seller"], name="红冲卡片有限公司")
    return make_contract(app, customer, terms=(("advance", "50000.00", -5),), name="年度服务合同")


def _requested(client, app, url: str, reason: str) -> int:
    """The seller asks for the reversal at `url`; the approval request's id."""
    client.login("seller")
    assert client.post_form(url, {"reason": reason}).status_code == 303
    with app.app_context():
        request_id = db.session.scalar(select(ReversalRequest.id))
    return latest_request_id(app, request_id, "ReversalRequest")


def test_a_payment_reversal_card_shows_the_payment_and_both_amounts_in_words(app, client,
                                                                               contract):
    """Rule: 回款日期, 款项 and 付款方式 as labels, the customer and contract by number and
    name, 原金额 ¥20,000.00 贰万元整 and 红冲金额 −¥20,000.00 负贰万元整, the reason."""
    payment = make_payment(app, contract, "20000.00")
    with app.app_context():
        stored = db.session.get(Payment, payment.id)
        stored.method, stored.reference = PaymentMethod.BANK_TRANSFER, "HX-2026-001"
        db.session.commit()
    request_id = _requested(client, app, f"/sales/payments/{payment.id}/reverse", "金额录入错误")
    client.login("boss")
    card = card_of_page(client.get(f"/approvals/{request_id}").get_data(as_text=True))
    assert field(card, "红冲对象") == "回款"
    assert field(card, "客户").endswith(" 红冲卡片有限公司")
    assert field(card, "合同编号") == f"{contract.number} 年度服务合同"
    assert field(card, "回款日期") == payment.paid_on.isoformat()
    assert (field(card, "款项"), field(card, "付款方式")) == ("预付款", "银行转账")
    assert field(card, "凭证/流水号") == "HX-2026-001"
    assert re.search(r"原金额</th><td[^>]*>¥20,000.00</td><td[^>]*>贰万元整", card)
    assert re.search(r"红冲金额</th><td[^>]*>−¥20,000.00</td><td[^>]*>负贰万元整", card)
    assert field(card, "红冲原因") == "金额录入错误"
    assert not any(key in card for key in RAW_KEYS)


def test_a_ledger_row_reversal_card_shows_the_row(app, client, contract):
    """Rule: a ledger row's card has its 日期, 产品名称, 类别 as its label, 数量 and 单价."""
    entry = make_entry(app, contract, quantity="3", unit_price="4000.50", kind=EntryKind.RETURN,
                       product="存储阵列")
    request_id = _requested(client, app, f"/sales/ledger/{entry.id}/reverse", "数量录入错误")
    client.login("boss")
    card = card_of_page(client.get(f"/approvals/{request_id}").get_data(as_text=True))
    assert field(card, "红冲对象") == "台账记录"
    assert (field(card, "日期"), field(card, "产品名称")) == (entry.entry_date.isoformat(),
                                                              "存储阵列")
    assert (field(card, "类别"), field(card, "数量")) == ("销货退回", "3")
    assert field(card, "单价") == "¥4,000.50"
    assert re.search(r"原金额</th><td[^>]*>¥12,001.50</td><td[^>]*>壹万贰仟零壹元伍角整", card)
    assert not any(key in card for key in RAW_KEYS)


def test_the_inbox_row_shows_the_customer_and_the_amount_reversed(app, client, contract):
    """Rule: the waiting row names the customer, what is reversed and the amount."""
    payment = make_payment(app, contract, "30000.00")
    request_id = _requested(client, app, f"/sales/payments/{payment.id}/reverse", "重复登记")
    client.login("boss")
    html = client.get("/approvals/").get_data(as_text=True)
    row = re.search(rf'<tbody id="request-{request_id}".*?</tbody>', html, re.S).group(0)
    assert "红冲卡片有限公司" in row and "红冲金额" in row and "−¥30,000.00" in row


def test_a_snapshot_whose_row_is_gone_still_reads(app):
    """Rule: the card is built from the snapshot alone where it must be: an unknown row shows
    its contract number as signed, a payment without a method shows —, never a code."""
    snapshot = {"record": "ReversalRequest", "id": 9, "target": "Payment", "target_id": 999,
                "reason": "测试", "reversal_amount": "-0.05", "contract": "HT-0009",
                "term": "retention", "paid_on": "2026-01-15", "amount": "0.05", "method": None,
                "reference": None}
    card = render_card(app, "ReversalRequest", snapshot)
    assert field(card, "合同编号") == "HT-0009" and field(card, "款项") == "质保金"
    assert field(card, "付款方式") == "—" and "伍分" in card
    assert figures_of(app, "ReversalRequest", [snapshot]) == [
        [("客户", "—"), ("红冲对象", "回款"), ("红冲金额", "−¥0.05")]]
