"""The session cookie is signed and sent again only when the server notes activity (at most once
a minute, services/core/sessions.py), not on every response; it outlives the server's idle
deadline, so that an idle session is ended by the server, which says why."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import UserSession
from tests.factories.people import make_user

COOKIE = "taizhang_session="


@pytest.fixture
def staff(app):
    return make_user(app, "sales1")


def _sends_cookie(response) -> bool:
    return any(value.startswith(COOKIE) for value in response.headers.getlist("Set-Cookie"))


def _age(app, minutes: int) -> None:
    with app.app_context():
        row = db.session.scalar(select(UserSession))
        row.last_seen_at -= timedelta(minutes=minutes)
        db.session.commit()


def test_a_page_within_the_minute_sends_no_new_cookie(client, staff):
    """Rule: no activity to note, nothing to re-sign."""
    client.login("sales1")
    client.get("/customers/")
    assert not _sends_cookie(client.get("/customers/"))


def test_noted_activity_sends_the_cookie_again_with_a_new_expiry(client, app, staff):
    """Rule: when the server notes activity, the cookie's expiry moves on with it."""
    client.login("sales1")
    _age(app, 2)
    response = client.get("/customers/")
    assert _sends_cookie(response)
    assert "Expires=" in next(v for v in response.headers.getlist("Set-Cookie")
                              if v.startswith(COOKIE))


def test_background_polls_send_no_new_cookie(client, app, staff):
    """Rule: a background poll is no activity: neither the server nor the cookie notes it."""
    client.login("sales1")
    _age(app, 2)
    response = client.get("/approvals/count", headers={"X-Background-Poll": "1"})
    assert not _sends_cookie(response)


def test_the_cookie_outlives_the_servers_idle_deadline(app):
    """Rule: the server, not the browser, ends an idle session (and tells the user why)."""
    assert app.config["PERMANENT_SESSION_LIFETIME"] > app.config["IDLE_TIMEOUT"]
    assert app.config["SESSION_REFRESH_EACH_REQUEST"] is False
