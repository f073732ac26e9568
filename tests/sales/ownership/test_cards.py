"""Sign what you see, for a change of owner: the approval card of 客户归属变更 and of 离职交接
shows the customer by number and name, the old and the new owner by name and employee number
(and the reason) under the record page's labels, the change of owner as old → new rows, never
the snapshot's raw keys; the inbox row names the customer and the new owner."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest, OwnershipRequest
from app.services.approvals.signatures import latest_version
from tests.factories.approvals import activate, approval_of
from tests.factories.cards import card_of_page, change, field, figures_of, render_card
from tests.factories.customers import make_customer
from tests.factories.people import deactivate, make_people
from tests.support import PASSWORD

REASON = "客户由本人在展会先行邀约，并已敲定到会。"
RAW_KEYS = ("customer_id", "from_owner_id", "to_owner_id", "result_hash", "transferable")


@pytest.fixture
def team(app):
    """李晓明 (S1001) and 周敏 (S1002) of 销售部, their manager 王建国, and a leaver."""
    return make_people(app, "sales1", "sales2", "sales_mgr", "leaver",
                       named=("sales1", "sales2", "sales_mgr"))


def _claim(client, app, customer) -> int:
    """周敏 asks for the customer; the approval request's id."""
    client.login("sales2")
    response = client.post_form(f"/sales/ownership/new?customer={customer.id}",
                                {"reason": REASON})
    assert response.status_code == 303
    with app.app_context():
        claim_id = db.session.scalar(select(OwnershipRequest.id).where(
            OwnershipRequest.customer_id == customer.id))
    return approval_of(app, claim_id)


def test_the_transfer_card_names_the_customer_both_owners_and_the_reason(client, app, team):
    """Rule: the card shows 客户 (number and name), 原负责人 and 申请人（新负责人） by name and
    employee number, 申请理由, and 负责人 old → new; no raw snapshot key."""
    customer = make_customer(app, team["sales1"], name="归属卡片科技有限公司")
    request_id = _claim(client, app, customer)
    client.login("sales_mgr")
    card = card_of_page(client.get(f"/approvals/{request_id}").get_data(as_text=True))
    assert field(card, "客户") == f"{customer.number} 归属卡片科技有限公司"
    assert field(card, "原负责人") == "李晓明（S1001）"
    assert field(card, "申请人（新负责人）") == "周敏（S1002）"
    assert field(card, "申请理由") == REASON
    assert change(card, "负责人") == ("李晓明（S1001）", "周敏（S1002）")
    assert not any(key in card for key in RAW_KEYS)


def test_the_inbox_row_names_the_customer_and_the_new_owner(client, app, team):
    """Rule: the waiting row shows the key figures before the card is opened."""
    customer = make_customer(app, team["sales1"], name="收件箱归属有限公司")
    request_id = _claim(client, app, customer)
    client.login("sales_mgr")
    html = client.get("/approvals/").get_data(as_text=True)
    row = re.search(rf'<tbody id="request-{request_id}".*?</tbody>', html, re.S).group(0)
    assert "收件箱归属有限公司" in row and "新负责人" in row and "周敏（S1002）" in row


def test_a_snapshot_not_transferable_when_submitted_says_so(app, team):
    """Rule: the card shows what was frozen: a request that could not be carried out when it
    was submitted warns the signer, and a change of department is a row of its own."""
    customer = make_customer(app, team["sales1"])
    other = make_people(app, "cs1", named=True)["cs1"]
    snapshot = {"record": "OwnershipRequest", "id": 1, "customer_id": customer.id,
                "customer_number": customer.number, "from_owner_id": team["sales1"].id,
                "to_owner_id": other.id, "reason": "接手", "transferable": False,
                "result_hash": "0" * 64}
    card = render_card(app, "OwnershipRequest", snapshot)
    assert "card-warning" in card and "不能接手该客户" in card
    assert change(card, "部门") == ("销售部", "客服部")


def test_the_figures_of_many_rows_name_each_customer(app, team):
    """Rule: each row's figures are its own customer's and new owner's."""
    first, second = (make_customer(app, team["sales1"], name=n) for n in ("甲公司", "乙公司"))
    snapshots = [{"customer_id": c.id, "customer_number": c.number, "to_owner_id": who.id}
                 for c, who in ((first, team["sales2"]), (second, team["sales_mgr"]))]
    assert figures_of(app, "OwnershipRequest", snapshots) == [
        [("客户", f"{first.number} 甲公司"), ("新负责人", "周敏（S1002）")],
        [("客户", f"{second.number} 乙公司"), ("新负责人", "王建国（M2001）")]]


def test_the_handover_card_names_the_departed_and_the_new_owner(client, app, team):
    """Rule: a 离职交接 card shows the customer, 原负责人（离职） as signed in the version
    before the hand-over, the new owner, and 负责人 old → new."""
    customer = make_customer(app, team["leaver"], name="交接卡片有限公司")
    activate(app, customer, team["sales_mgr"])
    deactivate(app, team["leaver"])
    client.login("sales_mgr")
    response = client.post_form(f"/sales/reassign/{team['leaver'].id}",
                                {"to": team["sales2"].id, "password": PASSWORD})
    assert response.status_code == 303
    with app.app_context():
        request_id = latest_version("Customer", customer.id).approval_request_id
        assert db.session.get(ApprovalRequest, request_id).flow_kind == "customer.handover"
    card = card_of_page(client.get(f"/approvals/{request_id}").get_data(as_text=True))
    assert field(card, "客户") == f"{customer.number} 交接卡片有限公司"
    leaver = team["leaver"]
    departed = f"{leaver.full_name}（{leaver.employee_no}）"
    assert field(card, "原负责人（离职）") == departed
    assert field(card, "新负责人") == "周敏（S1002）"
    assert change(card, "负责人") == (departed, "周敏（S1002）")
    assert not any(key in card for key in RAW_KEYS)
