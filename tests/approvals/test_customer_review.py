"""The customer archive review: draft → 审批中 → 已生效, signed by the department manager."""

import json

from sqlalchemy import select

from app.extensions import db
from app.models import (
    ApprovalRequest,
    AuditEvent,
    Customer,
    CustomerStatus,
    Notification,
    RecordVersion,
    RequestStatus,
    Signature,
    User,
)
from tests.factories.approvals import draft, sign, submit


def _customer(app, customer_id) -> Customer:
    with app.app_context():
        customer = db.session.get(Customer, customer_id)
        db.session.expunge(customer)
        return customer


def test_a_new_customer_is_a_draft_until_its_manager_approves(client, app, team):
    customer = draft(app, team.staff)
    assert customer.status == CustomerStatus.DRAFT
    client.login("sales1")
    html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "草稿" in html and 'id="submit-customer"' in html
    request_id = submit(client, customer)
    assert "审批中" in client.get(f"/customers/{customer.id}").get_data(as_text=True)
    client.login("sales_mgr")
    assert sign(client, request_id).status_code == 303
    html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "已生效" in html and "签字有效" in html and "sales_mgr" in html
    with app.app_context():
        request = db.session.get(ApprovalRequest, request_id)
        assert request.status == RequestStatus.APPROVED
        sig = request.signatures[0]
        assert (sig.signer_id, sig.meaning.value, sig.decision.value) == (
            team.manager.id, "review", "approve")
        assert sig.prev_hash == request.content_hash
        notice = db.session.scalars(select(Notification)).all()[-1]
        assert notice.user_id == team.staff.id and notice.kind == "approval_approved"


def test_submitting_freezes_the_record(client, app, team):
    customer = draft(app, team.staff)
    client.login("sales1")
    submit(client, customer)
    response = client.get(f"/customers/{customer.id}/edit")
    assert response.status_code == 303
    response = client.post_form(f"/customers/{customer.id}/edit", {
        "name": "改名企图有限公司", "kind": "unit", "contact_name": "x", "phone": "",
        "industry": "TECH", "type": "potential", "grade": "B", "confidentiality": "2",
        "version": "1"})
    assert response.status_code == 303
    assert _customer(app, customer.id).name == customer.name
    with app.app_context():
        request = db.session.scalars(select(ApprovalRequest)).one()
        assert json.loads(request.snapshot)["name"] == customer.name
        assert len(request.content_hash) == 64


def test_a_second_submission_is_refused(client, app, team):
    customer = draft(app, team.staff)
    client.login("sales1")
    submit(client, customer)
    response = client.post_form(f"/customers/{customer.id}/submit", {})
    assert response.status_code == 403  # no longer a draft: not submittable


def test_rejecting_needs_a_comment_and_returns_the_draft_with_history(client, app, team):
    customer = draft(app, team.staff)
    client.login("sales1")
    request_id = submit(client, customer)
    client.login("sales_mgr")
    refused = sign(client, request_id, "reject", comment="", follow_redirects=True)
    assert "驳回时请填写意见" in refused.get_data(as_text=True)
    assert sign(client, request_id, "reject", comment="联系人电话需核实").status_code == 303
    assert _customer(app, customer.id).status == CustomerStatus.DRAFT
    with app.app_context():
        request = db.session.get(ApprovalRequest, request_id)
        assert request.status == RequestStatus.REJECTED and request.signatures
        notice = db.session.scalars(select(Notification).where(
            Notification.kind == "approval_rejected")).one()
        assert "联系人电话需核实" in notice.params
    client.login("sales1")
    assert "联系人电话需核实" in client.get("/approvals/").get_data(as_text=True)


def test_the_submitter_may_withdraw_before_anyone_signs(client, app, team):
    customer = draft(app, team.staff)
    client.login("sales1")
    request_id = submit(client, customer)
    client.post_form(f"/approvals/{request_id}/withdraw", {})
    assert _customer(app, customer.id).status == CustomerStatus.DRAFT
    with app.app_context():
        assert db.session.get(ApprovalRequest, request_id).status == RequestStatus.WITHDRAWN


def test_a_wrong_password_is_refused_audited_and_counted(client, app, team):
    customer = draft(app, team.staff)
    client.login("sales1")
    request_id = submit(client, customer)
    client.login("sales_mgr")
    response = sign(client, request_id, password="wrong-password-1", follow_redirects=True)
    assert "签字密码不正确" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Signature)).all() == []
        assert db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "sign_failed")).one()
    for _ in range(4):  # five failures in all lock signing (a lock of its own, not sign-in's)
        sign(client, request_id, password="wrong-password-1")
    with app.app_context():
        manager = db.session.get(User, team.manager.id)
        assert manager.sign_locked_until is not None and manager.locked_until is None
    locked = sign(client, request_id, follow_redirects=True)  # even the right password
    assert "签字已暂停" in locked.get_data(as_text=True)


def test_nobody_signs_their_own_submission(client, app, team):
    customer = draft(app, team.manager)
    client.login("sales_mgr")
    request_id = submit(client, customer)
    assert sign(client, request_id).status_code == 403
    with app.app_context():  # the next level up signs instead
        request = db.session.get(ApprovalRequest, request_id)
        assert {a.user_id for a in request.assignments} == {team.gm.id}


def test_someone_the_step_does_not_name_gets_403(client, app, team):
    customer = draft(app, team.staff)
    client.login("sales1")
    request_id = submit(client, customer)
    for outsider in ("cs_mgr", "sales2"):
        client.login(outsider)
        assert sign(client, request_id).status_code == 403


def test_a_request_above_the_clearance_is_404(client, app, team):
    from app.models import Level

    customer = draft(app, team.manager, confidentiality=Level.SECRET)
    client.login("sales_mgr")
    request_id = submit(client, customer)
    client.login("sales1")
    assert client.get(f"/approvals/{request_id}").status_code == 404
    assert sign(client, request_id).status_code == 404


def test_an_approved_version_is_recorded(client, app, team):
    customer = draft(app, team.staff)
    client.login("sales1")
    request_id = submit(client, customer)
    client.login("sales_mgr")
    sign(client, request_id)
    with app.app_context():
        version = db.session.scalars(select(RecordVersion)).one()
        assert (version.number, version.approval_request_id) == (1, request_id)
