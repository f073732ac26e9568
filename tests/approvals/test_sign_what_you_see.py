"""Sign what you see: the request page and the expanded inbox row show the frozen snapshot as a
card (the record page's labels, lines and terms, amounts in figures and in 大写, a change's old
→ new rows); a signature needs the receipt of having been shown that content in this session,
and is refused when the content changed since."""

import re
from decimal import Decimal

from sqlalchemy import select, update

from app.extensions import db
from app.models import (
    ApprovalRequest,
    ChangeBasis,
    ChangeInitiator,
    Contract,
    Customer,
    RequestStatus,
    Signature,
    User,
)
from app.services.customers.review import propose_change as propose_customer_change
from app.services.sales.contracts.changes import ChangeInfo
from app.services.sales.contracts.changes import propose_change as propose_contract_change
from app.services.sales.contracts.data import LineData, data_of
from tests.factories.approvals import activate, draft, shown_receipt, sign, submit
from tests.factories.sales import approved, make_contract
from tests.factories.sales import submit as submit_contract
from tests.support import PASSWORD


def _card(html: str) -> str:
    found = re.search(r'<section class="approval-card.*?</section>', html, re.S)
    assert found, "the page shows the signed content as a card"
    return found.group(0)


def _submitted_customer(client, app, team, **fields) -> int:
    customer = draft(app, team.staff, **fields)
    client.login("sales1")
    request_id = submit(client, customer)
    client.login("sales_mgr")
    return request_id


def _state(app, request_id: int):
    with app.app_context():
        request = db.session.get(ApprovalRequest, request_id)
        return request.status, len(request.signatures)


def test_the_card_shows_the_submitted_customer_with_the_record_pages_labels(client, app, team):
    """Rule: the card lists every signed field under the customer page's label."""
    request_id = _submitted_customer(client, app, team, name="见签科技有限公司")
    card = _card(client.get(f"/approvals/{request_id}").get_data(as_text=True))
    for label in ("客户编号", "客户名称", "客户性质", "负责人", "部门", "密级"):
        assert f">{label}<" in card, label
    assert "见签科技有限公司" in card and "单位" in card and "sales1" in card


def test_the_card_shows_the_frozen_snapshot_not_the_live_record(client, app, team):
    """Rule: what is shown is what was submitted; a record changed behind the engine's back
    shows its submitted values, and its content can no longer be signed (签字失效)."""
    request_id = _submitted_customer(client, app, team, name="冻结内容有限公司")
    with app.app_context():
        db.session.execute(update(Customer).values(name="偷改名称有限公司"))
        db.session.commit()
    card = _card(client.get(f"/approvals/{request_id}").get_data(as_text=True))
    assert "冻结内容有限公司" in card and "偷改名称有限公司" not in card
    response = sign(client, request_id)
    assert response.status_code == 303
    assert _state(app, request_id) == (RequestStatus.PENDING, 0)
    assert "签字失效" in client.get("/approvals/").get_data(as_text=True)


def test_the_contract_card_shows_lines_terms_and_amounts_in_words(client, app, team):
    """Rule: a contract's card has its fields, product lines and payment terms, the amount in
    figures and in 人民币大写, under the contract page's labels."""
    contract = make_contract(app, by=team.staff, lines=(("服务器", "X1", "台", "3", "1234.50"),),
                             terms=(("advance", "3703.50", "2026-03-01"),))
    request_id = submit_contract(app, contract, team.staff)
    client.login("sales_mgr")
    card = _card(client.get(f"/approvals/{request_id}").get_data(as_text=True))
    for label in ("合同编号", "合同名称", "签约单位", "签订日期", "产品明细", "付款方式", "大写"):
        assert label in card, label
    assert contract.number in card and "服务器" in card and "¥1,234.50" in card
    assert "¥3,703.50" in card and "叁仟柒佰零叁元伍角整" in card and "预付款" in card


def test_the_inbox_row_shows_the_key_figures(client, app, team):
    """Rule: each waiting row names its kind, customer and amount before anything is opened."""
    customer = draft(app, team.staff, name="关键数字有限公司")
    contract = make_contract(app, customer, by=team.staff)
    submit_contract(app, contract, team.staff)
    client.login("sales_mgr")
    html = client.get("/approvals/").get_data(as_text=True)
    row = re.search(r'<tbody id="request-\d+".*?</tbody>', html, re.S).group(0)
    assert "合同评审" in row and "关键数字有限公司" in row and "¥1,000.00" in row


def test_a_customer_change_shows_old_and_new_values(client, app, team):
    """Rule: a change request's card has the old → new table (the kind's `changes`)."""
    customer = draft(app, team.staff, name="原名实业有限公司")
    activate(app, customer, team.manager)
    with app.app_context():
        change = propose_customer_change(db.session.get(Customer, customer.id),
                                         {"name": "新名实业有限公司"}, "完成工商变更",
                                         db.session.get(User, team.staff.id))
        db.session.commit()
        request_id = db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.record_type == "ChangeRequest",
            ApprovalRequest.record_id == change.id))
    client.login("sales_mgr")
    card = _card(client.get(f"/approvals/{request_id}").get_data(as_text=True))
    changes = re.search(r'<table class="[^"]*card-changes.*?</table>', card, re.S).group(0)
    cells = r"客户名称</td><td[^>]*>原名实业有限公司</td><td[^>]*>新名实业有限公司"
    assert re.search(cells, changes)
    assert "完成工商变更" in card


def test_a_contract_change_shows_old_and_new_values(client, app, team):
    """Rule: a contract change shows its application, the proposed contract with its amount
    in 大写, and old → new rows against the version it changes."""
    contract = approved(app, team, make_contract(app, by=team.staff))
    with app.app_context():
        record = db.session.get(Contract, contract.id)
        data = data_of(record)
        data.lines = [LineData("服务器", "X1", "台", Decimal("3"), Decimal("500.00"))]
        data.terms[0].amount = Decimal("1500.00")
        info = ChangeInfo("服务器增加 1 台", ChangeInitiator.CUSTOMER, [ChangeBasis.FAX])
        change = propose_contract_change(record, data, info, db.session.get(User, team.staff.id))
        db.session.commit()
        request_id = db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.record_type == "ContractChange",
            ApprovalRequest.record_id == change.id))
    client.login("sales_mgr")
    card = _card(client.get(f"/approvals/{request_id}").get_data(as_text=True))
    assert "服务器增加 1 台" in card and "传真" in card and "壹仟伍佰元整" in card
    changes = re.search(r'<table class="[^"]*card-changes.*?</table>', card, re.S).group(0)
    assert re.search(r"合同金额</td><td[^>]*>¥1,000.00</td><td[^>]*>¥1,500.00", changes)


def test_signing_without_having_been_shown_is_refused(client, app, team):
    """Rule: a sign POST without the receipt of this session's showing is refused, plainly."""
    request_id = _submitted_customer(client, app, team)
    response = client.post_form(f"/approvals/{request_id}/approve", {"password": PASSWORD})
    assert response.status_code == 303
    assert _state(app, request_id) == (RequestStatus.PENDING, 0)
    assert "请先查看审批内容" in client.get("/approvals/").get_data(as_text=True)
    token = client.csrf_token("/approvals/")
    inline = client.htmx("POST", f"/approvals/{request_id}/approve",
                         data={"password": PASSWORD, "csrf_token": token, "shown": "forged"})
    assert inline.status_code == 422 and "请先查看审批内容" in inline.get_data(as_text=True)
    assert _state(app, request_id) == (RequestStatus.PENDING, 0)


def test_a_receipt_from_another_session_is_refused(client, app, team):
    """Rule: being shown counts in the session that was shown, not after signing in again."""
    request_id = _submitted_customer(client, app, team)
    receipt = shown_receipt(client, request_id)
    client.login("sales_mgr")  # a new sign-in session
    response = client.post_form(f"/approvals/{request_id}/approve",
                                {"password": PASSWORD, "shown": receipt})
    assert response.status_code == 303
    assert _state(app, request_id) == (RequestStatus.PENDING, 0)


def test_content_changed_since_shown_is_refused(client, app, team):
    """Rule: the signature is bound to the hash of what was shown; if the request's content
    is no longer that, the signature is refused and the signer asked to look again."""
    request_id = _submitted_customer(client, app, team)
    receipt = shown_receipt(client, request_id)
    with app.app_context():
        db.session.execute(update(ApprovalRequest).where(ApprovalRequest.id == request_id)
                           .values(content_hash="0" * 64))
        db.session.commit()
    response = client.post_form(f"/approvals/{request_id}/approve",
                                {"password": PASSWORD, "shown": receipt})
    assert response.status_code == 303
    assert "请重新查看后再签字" in client.get("/approvals/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Signature.id)) is None


def test_a_shown_item_is_signed_with_the_hash_that_was_shown(client, app, team):
    """Rule: the signature records the content hash of the card shown."""
    request_id = _submitted_customer(client, app, team)
    html = client.get(f"/approvals/{request_id}").get_data(as_text=True)
    shown_hash = re.search(r'data-content-hash="([0-9a-f]{64})"', html).group(1)
    assert sign(client, request_id).status_code == 303
    with app.app_context():
        signature = db.session.scalars(select(Signature)).one()
        assert signature.content_hash == shown_hash
