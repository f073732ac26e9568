"""The navigation badge's figures are kept per user between polls, and counted again as soon
as anything they count changes (services/approvals/badges.py)."""

import pytest
from sqlalchemy import event

from app.extensions import db
from app.services.approvals import badges
from app.services.core import notifications
from tests.factories.approvals import draft, sign, submit
from tests.factories.people import make_team


@pytest.fixture
def keeping(app, monkeypatch, tmp_path):
    """Badge figures kept (the tests' config counts them every time), with a stamp file of
    this test's own: the parallel test workers share one instance folder, and another
    worker's writes would otherwise count as changes here."""
    monkeypatch.setattr(badges, "_stamp_path", lambda: str(tmp_path / "badges.stamp"))
    badges.forget_all()
    app.config["BADGE_KEEP_SECONDS"] = 60
    yield
    app.config["BADGE_KEEP_SECONDS"] = 0
    badges.forget_all()


@pytest.fixture
def team(app):
    return make_team(app, {"staff": "sales1", "manager": "sales_mgr"})


def _poll(client) -> str:
    return client.htmx("GET", "/approvals/count",
                       headers={"X-Background-Poll": "1"}).get_data(as_text=True)


def _statements_of(app, action) -> list[str]:
    sent: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return sent


def test_a_repeated_poll_reuses_the_kept_figures(client, app, team, keeping):
    """Rule: while nothing changes, a poll does not count the badge again."""
    client.login("sales_mgr")
    _poll(client)
    second = _statements_of(app, lambda: _poll(client))
    assert not [s for s in second if "approval_requests" in s or "notifications" in s]


def test_a_new_assignment_and_its_signature_update_the_kept_count(client, app, team,
                                                                   keeping):
    """Rule: the badge counts a request as soon as it waits for the user, and stops as soon
    as it is signed; the submitter's unread notice shows at once too."""
    customer = draft(app, team.staff, name="徽标缓存测试有限公司")
    client.login("sales_mgr")
    assert "data-todo" not in _poll(client)
    client.login("sales1")
    assert "data-unread" not in _poll(client)
    request_id = submit(client, customer)
    client.login("sales_mgr")
    assert 'data-todo="1"' in _poll(client)
    assert sign(client, request_id).status_code == 303
    assert "data-todo" not in _poll(client)
    client.login("sales1")
    assert 'data-unread="1"' in _poll(client)


def test_notices_marked_read_in_bulk_update_the_kept_count(client, app, team, keeping):
    """Rule: a bulk UPDATE of the counted rows (marking notices read) counts as a change."""
    customer = draft(app, team.staff, name="徽标已读测试有限公司")
    client.login("sales1")
    request_id = submit(client, customer)
    client.login("sales_mgr")
    assert sign(client, request_id).status_code == 303
    client.login("sales1")
    assert 'data-unread="1"' in _poll(client)
    with app.app_context():
        notifications.mark_all_read(team.staff.id)
        db.session.commit()
    assert "data-unread" not in _poll(client)


def test_an_unwritable_stamp_fails_no_write_and_keeps_nothing(client, app, team, keeping,
                                                              monkeypatch, tmp_path):
    """Rule: when the stamp cannot be written, writes still succeed and the badge is counted
    every time (never stale)."""
    monkeypatch.setattr(badges, "_unstamped", [])
    monkeypatch.setattr(badges, "_stamp_path", lambda: str(tmp_path))  # a folder: unwritable
    customer = draft(app, team.staff, name="徽标无戳测试有限公司")
    client.login("sales_mgr")
    assert "data-todo" not in _poll(client)
    client.login("sales1")
    submit(client, customer)
    client.login("sales_mgr")
    assert 'data-todo="1"' in _poll(client)
