"""Administrators manage accounts; nobody else can, and admins see no business data."""

import pytest

from app.extensions import db
from app.models import AuditEvent, Level, Role, User
from tests.factories.people import make_user

NEW_USER = {"username": "sales9", "full_name": "钱九", "employee_no": "S909", "department": "1",
            "role": "staff", "clearance": "2", "locale": "zh_CN",
            "temporary_password": "Temp-2026x"}


@pytest.fixture
def admin(client, app):
    user = make_user(app, "admin", role=Role.ADMIN)
    client.login("admin")
    return user


def test_an_admin_creates_a_user_who_must_change_the_temporary_password(client, app, admin):
    response = client.post_form("/admin/users/new", NEW_USER)
    assert response.status_code == 303
    with app.app_context():
        user = db.session.query(User).filter_by(username="sales9").one()
        assert user.must_change_password and user.clearance == Level.INTERNAL
        assert db.session.query(AuditEvent).filter_by(action="user_created").count() == 1
    client.login("sales9", "Temp-2026x")
    assert client.get("/customers/").headers["Location"] == "/password"


@pytest.mark.parametrize("changes, message", [
    ({"username": "admin"}, "该用户名已被使用"),
    ({"username": "9abc"}, "用户名以字母开头"),
    ({"temporary_password": "short"}, "密码至少需要 8 位"),
    ({"full_name": ""}, "请填写姓名"),
])
def test_invalid_accounts_are_refused_in_chinese(client, app, admin, changes, message):
    response = client.post_form("/admin/users/new", {**NEW_USER, **changes})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(User).filter_by(employee_no="S909").count() == 0


def test_lowering_a_role_is_audited_and_ends_the_users_sessions_at_once(client, app, admin):
    manager = make_user(app, "sales_mgr", role=Role.MANAGER, clearance=Level.SECRET)
    other = app.test_client()
    other.login("sales_mgr")
    response = client.post_form(f"/admin/users/{manager.id}/edit", {
        **NEW_USER, "username": "sales_mgr", "employee_no": manager.employee_no,
        "full_name": manager.full_name, "role": "staff", "clearance": "2"})
    assert response.status_code == 303
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="rights_revoked").one()
        assert '"role":["manager","staff"]' in event.changes
        assert '"clearance":[3,2]' in event.changes
        assert db.session.get(User, manager.id).role == Role.STAFF
    assert other.get("/customers/").status_code == 302


def test_an_admin_cannot_deactivate_themself(client, app, admin):
    client.post_form(f"/admin/users/{admin.id}/active", {"active": "0"})
    with app.app_context():
        assert db.session.get(User, admin.id).active
    assert client.get("/admin/users/").status_code == 200


def test_the_user_list_searches_names_and_numbers(client, app, admin):
    make_user(app, "sales1", full_name="李明", employee_no="S101")
    html = client.get("/admin/users/?q=李明").get_data(as_text=True)
    assert "sales1" in html and ">admin<" not in html
