"""我的待办: what waits for me, signed inline without a page reload, counted in the navigation."""

import time

from tests.factories.approvals import draft, submit
from tests.support import PASSWORD


def _waiting(client, app, team):
    customer = draft(app, team.staff, name="待办测试有限公司")
    client.login("sales1")
    request_id = submit(client, customer)
    client.login("sales_mgr")
    return customer, request_id


def test_the_inbox_lists_what_waits_for_me_with_the_signing_form(client, app, team):
    _, request_id = _waiting(client, app, team)
    html = client.get("/approvals/").get_data(as_text=True)
    assert f'id="request-{request_id}"' in html and "待办测试有限公司" in html
    assert f'action="/approvals/{request_id}/approve"' in html
    assert f'formaction="/approvals/{request_id}/reject"' in html
    assert 'name="password"' in html and 'name="comment"' in html
    client.login("sales2")
    assert "没有等待您审批的事项" in client.get("/approvals/").get_data(as_text=True)


def test_the_record_page_offers_the_same_signing_form(client, app, team):
    customer, request_id = _waiting(client, app, team)
    html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert f'action="/approvals/{request_id}/approve"' in html and 'name="password"' in html


def test_an_inline_approval_replaces_the_row_and_triggers_a_refresh(client, app, team):
    _, request_id = _waiting(client, app, team)
    token = client.csrf_token("/approvals/")
    response = client.htmx("POST", f"/approvals/{request_id}/approve",
                           data={"password": PASSWORD, "comment": "同意",
                                 "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="request-{request_id}"') and "已同意" in html
    assert "approvals-changed" in response.headers["HX-Trigger"]


def test_an_inline_wrong_password_keeps_the_row_with_the_message(client, app, team):
    _, request_id = _waiting(client, app, team)
    token = client.csrf_token("/approvals/")
    response = client.htmx("POST", f"/approvals/{request_id}/approve",
                           data={"password": "nope-1234", "csrf_token": token})
    assert response.status_code == 422
    assert "签字密码不正确" in response.get_data(as_text=True)


def test_the_navigation_counter_counts_waiting_requests(client, app, team):
    _waiting(client, app, team)
    html = client.htmx("GET", "/approvals/count").get_data(as_text=True)
    assert 'data-todo="1"' in html
    nav = client.get("/").get_data(as_text=True)
    assert 'hx-trigger="load, every 60s, approvals-changed from:body"' in nav


def test_background_polling_does_not_keep_an_idle_session_alive(client, app, team):
    _waiting(client, app, team)
    idle = app.config["IDLE_TIMEOUT"].total_seconds()
    with client.session_transaction() as session:
        session["seen"] = time.time() - idle + 5
    client.htmx("GET", "/approvals/count", headers={"X-Background-Poll": "1"})
    with client.session_transaction() as session:
        assert session["seen"] < time.time() - idle + 10


def test_submitters_are_notified_in_app(client, app, team):
    _, request_id = _waiting(client, app, team)
    client.post_form(f"/approvals/{request_id}/approve", {"password": PASSWORD})
    client.login("sales1")
    assert 'data-unread="1"' in client.htmx("GET", "/approvals/count").get_data(as_text=True)
    assert "已审批通过" in client.get("/approvals/").get_data(as_text=True)


def test_the_home_page_lists_what_waits_for_my_signature(client, app, team):
    """我的工作台 shows the approver what waits for them (and links to 我的待办); the
    submitter, who has nothing to sign, is told there is nothing waiting."""
    _waiting(client, app, team)
    assert 'data-todo-waiting="1"' in client.get("/").get_data(as_text=True)
    client.login("sales2")
    home = client.get("/").get_data(as_text=True)
    assert "data-todo-waiting" not in home and "暂无待办" in home
