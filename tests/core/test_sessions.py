"""Sessions live on the server: logging out, a password change, log out everywhere, ending one
session and the idle timeout end them there, so a copied cookie stops working at once; a GET
never signs out; the account page lists the user's sessions."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Level, User, UserSession
from app.services.core import rights
from tests.factories.people import make_user
from tests.support import PASSWORD

COOKIE = "taizhang_session"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")


@pytest.fixture
def staff(app):
    return make_user(app, "sales1")


def _browser(app, address: str = "127.0.0.1", agent: str = CHROME):
    """Another browser (its own cookies), from `address` with `agent`."""
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    return client


def _cookie(client) -> str:
    return client.get_cookie(COOKIE).value


def _signed_in(client) -> bool:
    return client.get("/customers/").status_code == 200


def _sessions(app, user) -> list[UserSession]:
    with app.app_context():
        rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                  .order_by(UserSession.id)).all()
        db.session.expunge_all()
        return rows


def test_a_cookie_copied_before_logout_no_longer_works_after_it(app, staff):
    browser = _browser(app)
    browser.login("sales1")
    copied = _cookie(browser)
    assert browser.post_form("/logout", {}).status_code == 303
    thief = _browser(app, "10.9.9.9")
    thief.set_cookie(COOKIE, copied)
    response = thief.get("/customers/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _sessions(app, staff)[0].end_reason == "logout"


def test_get_logout_only_asks_and_never_signs_out(client, staff):
    client.login("sales1")
    page = client.get("/logout")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'method="post"' in html and "确定要退出登录吗" in html
    assert _signed_in(client)


def test_logout_without_the_csrf_token_is_refused_and_signs_nobody_out(client, staff):
    client.login("sales1")
    assert client.post("/logout").status_code == 400
    assert _signed_in(client)


def test_a_password_change_ends_every_session_of_the_user_at_once(app, staff):
    laptop, phone = _browser(app), _browser(app, "10.0.0.8")
    laptop.login("sales1")
    phone.login("sales1")
    response = laptop.post_form("/password", {"current_password": PASSWORD,
                                              "new_password": "Newpass-456",
                                              "confirm": "Newpass-456"})
    assert response.status_code == 303
    assert not _signed_in(phone)
    assert _signed_in(laptop), "the browser that changed it carries on in a new session"


def test_log_out_everywhere_ends_every_session_this_one_too(app, staff):
    laptop, phone = _browser(app), _browser(app, "10.0.0.8")
    laptop.login("sales1")
    phone.login("sales1")
    copied = _cookie(phone)
    response = laptop.post_form("/account/sessions/end-all", {}, token_from="/account")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert "已退出全部 2 个会话" in laptop.get("/login").get_data(as_text=True)
    assert not _signed_in(laptop) and not _signed_in(phone)
    thief = _browser(app)
    thief.set_cookie(COOKIE, copied)
    assert not _signed_in(thief)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sessions_ended"))


def test_the_account_page_lists_the_users_sessions_and_marks_this_one(app, staff):
    make_user(app, "sales2")
    laptop, phone = _browser(app, "10.1.2.3", FIREFOX), _browser(app, "10.4.5.6", CHROME)
    laptop.login("sales1")
    phone.login("sales1")
    _browser(app, "10.7.7.7").login("sales2")
    html = laptop.get("/account").get_data(as_text=True)
    assert "10.1.2.3" in html and "Firefox 133 · Windows" in html
    assert "10.4.5.6" in html and "Chrome 131 · Linux" in html
    assert "10.7.7.7" not in html, "another user's sessions are not listed"
    assert html.count("当前会话") == 1
    current = html.index("当前会话")
    assert html.rfind("10.1.2.3", 0, current) > html.rfind("10.4.5.6", 0, current)


def test_a_user_ends_another_of_their_sessions_and_keeps_this_one(app, staff):
    laptop, phone = _browser(app), _browser(app, "10.0.0.8")
    phone.login("sales1")
    laptop.login("sales1")
    phone_session = _sessions(app, staff)[0]
    response = laptop.post_form(f"/account/sessions/{phone_session.id}/end", {},
                                token_from="/account")
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    assert not _signed_in(phone) and _signed_in(laptop)
    assert "10.0.0.8" not in laptop.get("/account").get_data(as_text=True)


def test_a_session_ended_elsewhere_is_told_why_on_the_sign_in_page(app, staff):
    laptop, phone = _browser(app), _browser(app, "10.0.0.8")
    phone.login("sales1")
    laptop.login("sales1")
    laptop.post_form("/account/sessions/end-all", {}, token_from="/account")
    response = phone.get("/customers/", follow_redirects=True)
    assert "您的登录已结束" in response.get_data(as_text=True)


def test_an_idle_session_is_ended_on_the_server_not_only_in_the_cookie(app, staff):
    browser = _browser(app)
    browser.login("sales1")
    with app.app_context():
        row = db.session.scalar(select(UserSession))
        row.last_seen_at -= app.config["IDLE_TIMEOUT"]
        db.session.commit()
    response = browser.get("/customers/", follow_redirects=True)
    assert "分钟未操作" in response.get_data(as_text=True)
    row = _sessions(app, staff)[0]
    assert row.ended_at is not None and row.end_reason == "idle"


def _age(app, minutes: int):
    """Moves the session's last activity `minutes` back; returns the new value."""
    with app.app_context():
        row = db.session.scalar(select(UserSession))
        row.last_seen_at -= timedelta(minutes=minutes)
        db.session.commit()
        return row.last_seen_at


def _last_seen(app):
    with app.app_context():
        return db.session.scalar(select(UserSession.last_seen_at))


def test_activity_keeps_a_session_alive_and_background_polls_do_not(app, staff):
    browser = _browser(app)
    browser.login("sales1")
    aged = _age(app, 5)
    browser.get("/approvals/count", headers={"X-Background-Poll": "1"})
    assert _last_seen(app) == aged
    browser.get("/customers/")
    assert _last_seen(app) > aged + timedelta(minutes=4)


def test_a_change_of_clearance_ends_every_session_of_the_user(app, staff):
    """New rights hold from the next sign-in: the sessions begun under the old ones end."""
    laptop, phone = _browser(app), _browser(app, "10.0.0.8")
    laptop.login("sales1")
    phone.login("sales1")
    with app.app_context():
        user = db.session.get(User, staff.id)
        rights.set_rights(user, rights.Rights(user.role, user.department_id, Level.PUBLIC))
        db.session.commit()
    assert not _signed_in(laptop) and not _signed_in(phone)
    again = _browser(app, "10.0.0.9")
    again.login("sales1")
    html = again.get("/account").get_data(as_text=True)
    assert "10.0.0.9" in html and "10.0.0.8" not in html, "ended sessions are not listed"


def test_the_database_keeps_only_a_digest_of_the_session_token(client, app, staff):
    client.login("sales1")
    with client.session_transaction() as cookie_session:
        token = cookie_session["sid"]
    row = _sessions(app, staff)[0]
    assert token not in row.token_hash and len(row.token_hash) == 64
