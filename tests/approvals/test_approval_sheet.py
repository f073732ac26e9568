"""The printed 审批单 of any request: flow, title, submitter, frozen steps, content hash, every
signature with printed name, employee number, meaning, decision, time and comment."""

import pytest

from app.extensions import db
from app.models import ApprovalRequest, Customer, Level, User
from app.services.customers.review import propose_change
from tests.factories.approvals import approved_customer, request_of
from tests.factories.people import print_team
from tests.support import pdf_text


@pytest.fixture
def team(app):
    """A salesperson, their manager and a 客服 colleague, named and cleared for 机密."""
    return print_team(app)


def test_the_sheet_lists_the_request_and_every_signature(client, app, team):
    customer = approved_customer(app, team, name="东方电子有限公司")
    request_id = request_of(app, customer)
    with app.app_context():
        content_hash = db.session.get(ApprovalRequest, request_id).content_hash
    client.login("sales1")
    text_ = pdf_text(client.get(f"/approvals/{request_id}/sheet.pdf").data)
    for expected in ("客户档案审核审批单", f"{customer.number} 东方电子有限公司",
                     "李晓明（S1001）", "部门经理审核（审核", "已批准", content_hash,
                     "王建国（M2001） 审核 同意", "密级：内部"):
        assert expected in text_, expected


def test_a_change_request_sheet_shows_the_proposed_changes(client, app, team):
    customer = approved_customer(app, team, name="旧名称有限公司")
    with app.app_context():
        change = propose_change(db.session.get(Customer, customer.id), {"name": "新名称有限公司"},
                                "客户更名", db.session.get(User, team.staff.id))
        db.session.commit()
        request_id = db.session.query(ApprovalRequest.id).filter_by(
            record_type="ChangeRequest", record_id=change.id).scalar()
    client.login("sales_mgr")
    text_ = pdf_text(client.get(f"/approvals/{request_id}/sheet.pdf").data)
    assert "客户资料变更审批单" in text_ and "审批中" in text_
    assert "客户名称 旧名称有限公司 新名称有限公司" in text_
    assert "尚无签字" in text_


def test_a_secret_request_sheet_carries_the_viewers_watermark(client, app, team):
    customer = approved_customer(app, team, confidentiality=Level.SECRET)
    client.login("sales_mgr")
    text_ = pdf_text(client.get(f"/approvals/{request_of(app, customer)}/sheet.pdf").data)
    assert "王建国 · M2001 · " in text_ and "密级：秘密" in text_


def test_an_internal_request_sheet_has_no_watermark(client, app, team):
    customer = approved_customer(app, team, confidentiality=Level.INTERNAL)
    client.login("sales_mgr")
    text_ = pdf_text(client.get(f"/approvals/{request_of(app, customer)}/sheet.pdf").data)
    assert "王建国 · M2001" not in text_
