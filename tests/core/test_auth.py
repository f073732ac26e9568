"""Sign-in, lockout, throttling, idle timeout, password change and session end."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import AuditEvent, Role, User, UserSession
from app.models.base import utcnow
from tests.factories.people import make_user
from tests.support import PASSWORD


@pytest.fixture
def staff(app):
    return make_user(app, "sales1")


def test_sign_in_with_the_right_password_lands_on_the_home_page(client, staff):
    response = client.login("sales1")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "我的工作台" in client.get("/").get_data(as_text=True)


def test_a_wrong_password_is_refused_in_chinese_and_audited(client, app, staff):
    response = client.login("sales1", "wrong-password-1")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "用户名或密码错误" in html
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="login_failed").one()
        assert event.object_id == staff.id


def test_an_unknown_user_gets_the_same_message_and_is_audited(client, app):
    html = client.login("nobody", "whatever-1").get_data(as_text=True)
    assert "用户名或密码错误" in html
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="login_failed").count() == 1


def test_five_failures_lock_the_account_even_for_the_right_password(client, app, staff):
    for _ in range(5):
        client.login("sales1", "wrong-password-1")
    response = client.login("sales1", PASSWORD)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "账户已临时锁定" in html
    with app.app_context():
        user = db.session.get(User, staff.id)
        assert user.locked_until is not None
        assert db.session.query(AuditEvent).filter_by(action="account_locked").count() == 1


def test_an_administrator_can_unlock_a_locked_account(client, app, staff):
    make_user(app, "admin", role=Role.ADMIN)
    for _ in range(5):
        client.login("sales1", "wrong-password-1")
    client.login("admin")
    assert client.post_form(f"/admin/users/{staff.id}/unlock", {}).status_code == 303
    assert client.login("sales1").status_code == 303


def test_sign_in_attempts_are_throttled_per_account(client, app, staff):
    app.config["LOGIN_RATE_PER_ACCOUNT"] = "3 per minute"
    try:
        statuses = [client.login("sales1", f"wrong-{i}-x").status_code for i in range(4)]
    finally:
        app.config["LOGIN_RATE_PER_ACCOUNT"] = "10 per 5 minutes"
    assert statuses[:3] == [422, 422, 422]
    assert statuses[3] == 429


def test_sign_in_attempts_are_throttled_per_address(client, app, staff):
    app.config["LOGIN_RATE_PER_ADDRESS"] = "3 per minute"
    try:
        statuses = [client.login(f"user{i}", "wrong-1").status_code for i in range(4)]
        html = client.login("sales1").get_data(as_text=True)
    finally:
        app.config["LOGIN_RATE_PER_ADDRESS"] = "30 per 5 minutes"
    assert statuses == [422, 422, 422, 429]
    assert "登录尝试过于频繁" in html


def _idle_since_the_timeout(app, user) -> None:
    """The user's sessions were last used just over the idle timeout ago (on the server)."""
    with app.app_context():
        last = utcnow() - app.config["IDLE_TIMEOUT"] - timedelta(seconds=5)
        db.session.execute(update(UserSession).where(UserSession.user_id == user.id)
                           .values(last_seen_at=last))
        db.session.commit()


def test_idle_sessions_end_after_the_timeout(client, app, staff):
    client.login("sales1")
    _idle_since_the_timeout(app, staff)
    response = client.get("/customers/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/").status_code == 302


def test_an_expired_htmx_request_gets_hx_redirect_not_a_login_form(client, app, staff):
    client.login("sales1")
    _idle_since_the_timeout(app, staff)
    response = client.htmx("GET", "/customers/?q=abc",
                           headers={"HX-Current-URL": "http://localhost/customers/?q=abc"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=")
    assert "<form" not in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite_lax(client, staff):
    response = client.login("sales1")
    cookie = next(v for k, v in response.headers.items()
                  if k == "Set-Cookie" and v.startswith("taizhang_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_password_change_requires_the_current_password(client, app, staff):
    client.login("sales1")
    response = client.post_form("/password", {"current_password": "nope-123",
                                              "new_password": "Newpass-456",
                                              "confirm": "Newpass-456"})
    assert response.status_code == 422 and "当前密码不正确" in response.get_data(as_text=True)
    response = client.post_form("/password", {"current_password": PASSWORD,
                                              "new_password": "Newpass-456",
                                              "confirm": "Newpass-456"})
    assert response.status_code == 303
    assert client.login("sales1", "Newpass-456").status_code == 303


def test_weak_new_passwords_are_refused_with_reasons(client, staff):
    client.login("sales1")
    html = client.post_form("/password", {"current_password": PASSWORD, "new_password": "short",
                                          "confirm": "short"}).get_data(as_text=True)
    assert "密码至少需要 8 位" in html and "同时包含字母和数字" in html


def test_a_reset_password_must_be_changed_before_anything_else(client, app, staff):
    make_user(app, "admin", role=Role.ADMIN)
    client.login("admin")
    client.post_form(f"/admin/users/{staff.id}/reset-password",
                     {"temporary_password": "Temp-2026x"})
    client.login("sales1", "Temp-2026x")
    response = client.get("/customers/")
    assert response.status_code == 302 and response.headers["Location"] == "/password"
    assert "临时密码" in client.get("/password").get_data(as_text=True)


def test_deactivating_a_user_ends_their_open_session(client, app, staff):
    client.login("sales1")
    assert client.get("/customers/").status_code == 200
    admin_client = app.test_client()
    make_user(app, "admin", role=Role.ADMIN)
    admin_client.login("admin")
    admin_client.post_form(f"/admin/users/{staff.id}/active", {"active": "0"})
    assert client.get("/customers/").status_code == 302
    assert "账户已停用" in client.login("sales1").get_data(as_text=True)


def test_logout_ends_the_session_and_is_audited(client, app, staff):
    client.login("sales1")
    response = client.post_form("/logout", {})
    assert response.status_code == 303
    assert client.get("/").status_code == 302
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="logout").count() == 1


def test_next_parameter_only_follows_local_paths(client, staff):
    token = client.csrf_token("/login")
    response = client.post("/login?next=https://evil.example/x",
                           data={"username": "sales1", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"
    client.post_form("/logout", {})
    token = client.csrf_token("/login")
    response = client.post("/login?next=/customers/",
                           data={"username": "sales1", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/customers/"
