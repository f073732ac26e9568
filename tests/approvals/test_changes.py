"""Changes (变更) to an active customer: key fields need the manager, others apply at once;
an approved change makes a new version and the old one stays viewable with its signatures."""

import json

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ChangeRequest, Customer, RecordVersion, RequestStatus
from tests.factories.approvals import draft, latest_request_id, sign, submit

FORM = {"kind": "unit", "contact_name": "王经理", "phone": "", "industry": "TECH",
        "type": "potential", "grade": "B", "source": "expo", "confidentiality": "2"}


def _active(client, app, team):
    customer = draft(app, team.staff, name="原名科技有限公司")
    client.login("sales1")
    request_id = submit(client, customer)
    client.login("sales_mgr")
    sign(client, request_id)
    client.login("sales1")
    with app.app_context():
        return db.session.get(Customer, customer.id).version


def _edit(client, customer_id, version, **changes):
    data = {**FORM, "name": "原名科技有限公司", "owner": "1", "version": str(version), **changes}
    return client.post_form(f"/customers/{customer_id}/edit", data)


def test_a_key_change_needs_a_reason(client, app, team):
    version = _active(client, app, team)
    response = _edit(client, 1, version, name="新名科技有限公司")
    assert response.status_code == 422
    assert "请填写变更原因" in response.get_data(as_text=True)


def test_key_fields_wait_for_approval_while_free_fields_apply_at_once(client, app, team):
    version = _active(client, app, team)
    response = _edit(client, 1, version, name="新名科技有限公司", address="上海市浦东新区1号",
                     change_reason="客户完成工商变更")
    assert response.status_code == 303
    with app.app_context():
        customer = db.session.get(Customer, 1)
        assert customer.name == "原名科技有限公司" and customer.address == "上海市浦东新区1号"
        change = db.session.scalars(select(ChangeRequest)).one()
        assert json.loads(change.proposed) == {"name": "新名科技有限公司"}
    html = client.get("/customers/1").get_data(as_text=True)
    assert "客户资料变更" in html and "原名科技有限公司" in html and "新名科技有限公司" in html


def test_an_approved_change_makes_a_new_version_and_keeps_the_old(client, app, team):
    version = _active(client, app, team)
    _edit(client, 1, version, name="新名科技有限公司", change_reason="工商变更")
    with app.app_context():
        change_id = db.session.scalars(select(ChangeRequest.id)).one()
    request_id = latest_request_id(app, change_id, "ChangeRequest")
    client.login("sales_mgr")
    assert sign(client, request_id).status_code == 303
    with app.app_context():
        assert db.session.get(Customer, 1).name == "新名科技有限公司"
        assert db.session.get(ChangeRequest, change_id).status == RequestStatus.APPROVED
        numbers = db.session.scalars(select(RecordVersion.number)).all()
        assert sorted(numbers) == [1, 2]
        assert db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "customer_changed")).one()
    html = client.get("/customers/1").get_data(as_text=True)
    assert "第 2 版" in html and "签字有效" in html
    assert "客户名称：原名科技有限公司 → 新名科技有限公司" in html
    old = client.get("/customers/1/versions/1").get_data(as_text=True)
    assert "这是历史版本" in old and "原名科技有限公司" in old and "sales_mgr" in old
    assert app.test_cli_runner().invoke(args=["approvals", "verify"]).exit_code == 0


def test_a_rejected_change_leaves_the_record_as_it_was(client, app, team):
    version = _active(client, app, team)
    _edit(client, 1, version, name="新名科技有限公司", change_reason="工商变更")
    with app.app_context():
        change_id = db.session.scalars(select(ChangeRequest.id)).one()
    client.login("sales_mgr")
    sign(client, latest_request_id(app, change_id, "ChangeRequest"), "reject", "材料不全")
    with app.app_context():
        assert db.session.get(Customer, 1).name == "原名科技有限公司"
        assert db.session.get(ChangeRequest, change_id).status == RequestStatus.REJECTED


def test_only_one_change_may_wait_at_a_time(client, app, team):
    version = _active(client, app, team)
    _edit(client, 1, version, name="新名科技有限公司", change_reason="工商变更")
    response = _edit(client, 1, version, grade="A", name="另一个名称有限公司",
                     change_reason="再改")
    assert response.status_code == 422
    assert "已有待审批的变更申请" in response.get_data(as_text=True)


def test_an_owner_change_needs_approval_and_moves_the_customer(client, app, team):
    version = _active(client, app, team)
    client.login("sales_mgr")
    response = _edit(client, 1, version, owner=str(team.staff2.id), change_reason="调岗交接")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Customer, 1).owner_id == team.staff.id  # not yet
