"""我的待办: what waits for me, signed inline without a page reload, counted in the navigation."""

import re
import time

from tests.factories.approvals import draft, sign, submit
from tests.support import PASSWORD


def _waiting(client, app, team):
    customer = draft(app, team.staff, name="待办测试有限公司")
    client.login("sales1")
    request_id = submit(client, customer)
    client.login("sales_mgr")
    return customer, request_id


def _expand(client, request_id: int) -> str:
    """Expands the request's inbox row (htmx) and returns its receipt of being shown."""
    response = client.htmx("GET", f"/approvals/{request_id}/card")
    assert response.status_code == 200
    found = re.search(r'name="shown" value="([^"]+)"', response.get_data(as_text=True))
    assert found, "an expanded row carries its viewing receipt"
    return found.group(1)


def test_the_inbox_lists_what_waits_for_me_and_signs_only_after_showing_it(client, app, team):
    """Rule: a row shows its key figure and the way to see its content; the signing form
    comes only with the content (the row expanded)."""
    _, request_id = _waiting(client, app, team)
    html = client.get("/approvals/").get_data(as_text=True)
    assert f'id="request-{request_id}"' in html and "待办测试有限公司" in html
    assert f'hx-get="/approvals/{request_id}/card"' in html
    assert f'action="/approvals/{request_id}/approve"' not in html
    expanded = client.htmx("GET", f"/approvals/{request_id}/card").get_data(as_text=True)
    assert expanded.lstrip().startswith(f'<tbody id="request-{request_id}"')
    assert "客户名称" in expanded and "待办测试有限公司" in expanded
    assert f'action="/approvals/{request_id}/approve"' in expanded
    assert f'formaction="/approvals/{request_id}/reject"' in expanded
    assert 'name="password"' in expanded and 'name="comment"' in expanded
    client.login("sales2")
    assert "没有等待您审批的事项" in client.get("/approvals/").get_data(as_text=True)


def test_the_inbox_counts_what_waits_and_its_statement_follows_new_submissions(client, app,
                                                                                team):
    """Rule: the inbox says how many items wait; its page's statement is kept per viewer, yet a
    request submitted after the first visit is listed and counted on the next."""
    _, first = _waiting(client, app, team)
    html = client.get("/approvals/").get_data(as_text=True)
    assert re.search(r'id="waiting-count">共 1 条<', html)
    client.login("sales1")
    second = submit(client, draft(app, team.staff, name="待办测试第二有限公司"))
    client.login("sales_mgr")
    html = client.get("/approvals/").get_data(as_text=True)
    assert re.search(r'id="waiting-count">共 2 条<', html)
    assert f'id="request-{first}"' in html and f'id="request-{second}"' in html


def test_the_record_page_sends_the_signer_to_the_request_page(client, app, team):
    """Rule: the record page shows the live record, not what is signed, so it links to the
    request page (the frozen content and the signing form) instead of signing itself."""
    customer, request_id = _waiting(client, app, team)
    html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert f'href="/approvals/{request_id}#sign-panel"' in html
    assert f'action="/approvals/{request_id}/approve"' not in html


def test_an_inline_approval_replaces_the_row_and_triggers_a_refresh(client, app, team):
    _, request_id = _waiting(client, app, team)
    token = client.csrf_token("/approvals/")
    response = client.htmx("POST", f"/approvals/{request_id}/approve",
                           data={"password": PASSWORD, "comment": "同意", "csrf_token": token,
                                 "shown": _expand(client, request_id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tbody id="request-{request_id}"') and "已同意" in html
    assert "approvals-changed" in response.headers["HX-Trigger"]


def test_an_inline_wrong_password_keeps_the_row_with_the_message(client, app, team):
    _, request_id = _waiting(client, app, team)
    token = client.csrf_token("/approvals/")
    response = client.htmx("POST", f"/approvals/{request_id}/approve",
                           data={"password": "nope-1234", "csrf_token": token,
                                 "shown": _expand(client, request_id)})
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
    assert sign(client, request_id).status_code == 303
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
