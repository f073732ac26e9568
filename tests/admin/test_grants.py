"""Two-person rule for power, on every path of the administrators' pages: creating, editing,
resetting a password, deactivating and reactivating. Rights beyond 专员 and 内部 wait for the
GM's signature in 我的待办; lowering them is at once; nobody grants themselves anything."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest, AuditEvent, DeptCode, GrantStatus, Level, Role, User
from tests.factories.approvals import sign
from tests.factories.customers import make_customer
from tests.factories.grants import grant_request_id, grant_status
from tests.factories.people import make_people, make_user
from tests.support import fetch, pdf_text

NEW_GM = {"username": "gm2", "full_name": "钱总", "employee_no": "G0002", "department": "5",
          "role": "gm", "clearance": "4", "locale": "zh_CN", "temporary_password": "Temp-2026x"}


@pytest.fixture
def people(client, app):
    """The demo's administrator (内部) and GM (机密), and a salesperson cleared for 机密."""
    team = make_people(app, "admin", "gm", "sales_top", admin=Level.INTERNAL)
    client.login("admin")
    return team


def _claimed(app, username: str) -> User:
    """The account's owner has chosen their password (the test password)."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.password_hash = db.session.scalar(
            select(User.password_hash).where(User.username == "admin"))
        user.must_change_password = False
        db.session.commit()
        return fetch(app, User, user.id)


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _edit(client, user: User, **changes):
    form = {"username": user.username, "full_name": user.full_name,
            "employee_no": user.employee_no, "department": str(user.department_id),
            "role": user.role.value, "clearance": str(int(user.clearance)), "locale": "zh_CN"}
    return client.post_form(f"/admin/users/{user.id}/edit", {**form, **changes})


def test_an_account_asked_with_the_gm_role_cannot_read_secret_customers_until_approved(
        client, app, people):
    secret = make_customer(app, people["sales_top"], confidentiality=Level.SECRET)
    assert client.post_form("/admin/users/new", NEW_GM).status_code == 303
    new = _claimed(app, "gm2")
    assert (new.role, new.clearance) == (Role.STAFF, Level.INTERNAL)
    assert grant_status(app, new) == GrantStatus.PENDING
    client.login("gm2")
    assert client.get(f"/customers/{secret.id}").status_code == 404
    client.login("gm")
    request_id = grant_request_id(app, new)
    assert f'id="request-{request_id}"' in client.get("/approvals/").get_data(as_text=True)
    assert sign(client, request_id).status_code == 303
    approved = fetch(app, User, new.id)
    assert (approved.role, approved.clearance) == (Role.GM, Level.CONFIDENTIAL)
    client.login("gm2")
    assert client.get(f"/customers/{secret.id}").status_code == 200


def test_approving_a_grant_ends_the_accounts_sessions(client, app, people):
    staff = make_user(app, "sales1")
    session = app.test_client()
    session.login("sales1")
    assert _edit(client, staff, role="manager").status_code == 303
    assert session.get("/customers/").status_code == 200  # old rights until approved
    client.login("gm")
    sign(client, grant_request_id(app, staff))
    assert session.get("/customers/").status_code == 302
    assert fetch(app, User, staff.id).role == Role.MANAGER


def test_the_admins_own_clearance_does_not_let_them_create_a_higher_one(client, app, people):
    with app.app_context():  # an administrator cleared for 机密 like the GM
        db.session.get(User, people["admin"].id).clearance = Level.CONFIDENTIAL
        db.session.commit()
    client.post_form("/admin/users/new", {**NEW_GM, "role": "staff", "clearance": "3"})
    created = _claimed(app, "gm2")
    assert created.clearance == Level.INTERNAL
    assert grant_status(app, created) == GrantStatus.PENDING


def test_editing_a_role_or_raising_a_clearance_is_a_request_not_a_change(client, app, people):
    staff = make_user(app, "sales1")
    response = _edit(client, staff, role="auditor", clearance="3")
    assert response.status_code == 303
    kept = fetch(app, User, staff.id)
    assert (kept.role, kept.clearance) == (Role.STAFF, Level.INTERNAL)
    assert "须经总经理或另一位系统管理员审批" in client.get("/admin/users/").get_data(as_text=True)
    assert "待审批的授权" in client.get(f"/admin/users/{staff.id}/edit").get_data(as_text=True)


def test_moving_a_manager_to_another_department_is_a_request(client, app, people):
    manager = make_user(app, "sales_mgr", role=Role.MANAGER, clearance=Level.SECRET)
    _edit(client, manager, department="2")
    assert fetch(app, User, manager.id).department_id == manager.department_id
    assert grant_status(app, manager) == GrantStatus.PENDING


def test_lowering_rights_is_at_once_and_withdraws_the_pending_grant(client, app, people):
    staff = make_user(app, "sales1")
    _edit(client, staff, role="manager", clearance="3")
    _edit(client, staff, clearance="1")
    lowered = fetch(app, User, staff.id)
    assert (lowered.role, lowered.clearance) == (Role.STAFF, Level.PUBLIC)
    assert grant_status(app, staff) == GrantStatus.WITHDRAWN
    assert {"rights_revoked", "approval_withdrawn"} <= set(_actions(app))


def test_a_rejected_grant_leaves_the_rights_as_they_were(client, app, people):
    staff = make_user(app, "sales1")
    _edit(client, staff, role="manager")
    client.login("gm")
    sign(client, grant_request_id(app, staff), "reject", comment="无此岗位")
    assert fetch(app, User, staff.id).role == Role.STAFF
    assert grant_status(app, staff) == GrantStatus.REJECTED


def test_nobody_can_change_their_own_rights(client, app, people):
    admin = fetch(app, User, people["admin"].id)
    response = _edit(client, admin, clearance="4")
    assert response.status_code == 422
    assert "不能修改自己的角色、部门或涉密级别" in response.get_data(as_text=True)
    assert fetch(app, User, admin.id).clearance == Level.INTERNAL


def test_nobody_can_reset_their_own_password_from_user_management(client, app, people):
    admin = people["admin"]
    response = client.post_form(f"/admin/users/{admin.id}/reset-password",
                                {"temporary_password": "Temp-2026x"}, follow_redirects=True)
    assert "不能在用户管理中重置自己的密码" in response.get_data(as_text=True)


def test_resetting_the_password_of_an_account_with_power_is_a_request(client, app, people):
    manager = make_user(app, "sales_mgr", role=Role.MANAGER, clearance=Level.SECRET)
    client.post_form(f"/admin/users/{manager.id}/reset-password",
                     {"temporary_password": "Temp-2026x"})
    assert app.test_client().login("sales_mgr", "Temp-2026x").status_code != 303
    assert app.test_client().login("sales_mgr").status_code == 303
    client.login("gm")
    sign(client, grant_request_id(app, manager))
    assert app.test_client().login("sales_mgr", "Temp-2026x").status_code == 303
    assert fetch(app, User, manager.id).must_change_password


def test_resetting_a_staff_password_is_at_once(client, app, people):
    staff = make_user(app, "sales1")
    client.post_form(f"/admin/users/{staff.id}/reset-password",
                     {"temporary_password": "Temp-2026x"})
    assert app.test_client().login("sales1", "Temp-2026x").status_code == 303
    assert grant_status(app, staff) is None


def test_deactivation_is_at_once_and_reactivating_power_is_a_request(client, app, people):
    manager = make_user(app, "sales_mgr", role=Role.MANAGER, clearance=Level.SECRET)
    client.post_form(f"/admin/users/{manager.id}/active", {"active": "0"})
    assert not fetch(app, User, manager.id).active
    client.post_form(f"/admin/users/{manager.id}/active", {"active": "1"})
    assert not fetch(app, User, manager.id).active
    client.login("gm")
    sign(client, grant_request_id(app, manager))
    assert fetch(app, User, manager.id).active


def test_reactivating_a_staff_account_is_at_once(client, app, people):
    staff = make_user(app, "sales1", active=False)
    client.post_form(f"/admin/users/{staff.id}/active", {"active": "1"})
    assert fetch(app, User, staff.id).active


def test_every_grant_and_revocation_is_audited(client, app, people):
    staff = make_user(app, "sales1", dept=DeptCode.SALES)
    _edit(client, staff, role="manager")
    client.login("gm")
    sign(client, grant_request_id(app, staff))
    client.login("admin")
    _edit(client, fetch(app, User, staff.id), role="staff")
    actions = _actions(app)
    for action in ("grant_requested", "approval_submitted", "approval_signed",
                   "rights_granted", "rights_revoked"):
        assert action in actions
    with app.app_context():
        granted = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "rights_granted"))
        assert granted.actor_id == people["gm"].id and '"role":["staff","manager"]' in (
            granted.changes)


def test_the_approver_reads_the_grant_and_prints_its_approval_sheet(client, app, people):
    staff = make_user(app, "sales1", full_name="李晓明")
    _edit(client, staff, role="auditor", clearance="3")
    client.login("gm")
    request_id = grant_request_id(app, staff)
    detail = client.get(f"/approvals/{request_id}").get_data(as_text=True)
    with app.app_context():
        grant_id = db.session.get(ApprovalRequest, request_id).record_id
    assert "账户授权" in detail and f'href="/admin/grants/{grant_id}"' in detail
    grant_page = client.get(f"/admin/grants/{grant_id}").get_data(as_text=True)
    assert "审计员" in grant_page and "秘密" in grant_page
    text = pdf_text(client.get(f"/approvals/{request_id}/sheet.pdf").data)
    assert "审计员" in text and "秘密" in text
