"""htmx: fragments for htmx requests, full pages for boosted navigation and history restores."""

import pytest

from tests.factories.customers import make_customer
from tests.factories.people import make_user


@pytest.fixture
def signed_in(client, app):
    owner = make_user(app, "sales1")
    make_customer(app, owner, name="华信科技有限公司")
    client.login("sales1")
    return client


def test_an_htmx_search_gets_only_the_results_fragment(signed_in):
    response = signed_in.htmx("GET", "/customers/?q=华信")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html and "华信科技有限公司" in html
    assert "HX-Request" in response.headers["Vary"]


def test_a_plain_request_gets_the_full_page_with_vary(signed_in):
    response = signed_in.get("/customers/?q=华信")
    html = response.get_data(as_text=True)
    assert html.startswith("<!doctype html>") and 'id="results"' in html
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("header", ["HX-Boosted", "HX-History-Restore-Request"])
def test_boosted_navigation_and_history_restore_get_the_full_page(signed_in, header):
    response = signed_in.htmx("GET", "/customers/?q=华信", headers={header: "true"})
    assert response.get_data(as_text=True).startswith("<!doctype html>")


def test_an_htmx_error_is_a_fragment_retargeted_to_the_alert_area(signed_in):
    response = signed_in.htmx("GET", "/customers/999999")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#alerts"
    assert "<html" not in html and "页面不存在" in html


def test_a_change_made_through_htmx_answers_with_hx_redirect(signed_in, app):
    token = signed_in.csrf_token("/customers/new")
    response = signed_in.htmx("POST", "/customers/new", headers={"X-CSRFToken": token}, data={
        "name": "新登记客户有限公司", "kind": "unit", "contact_name": "吴经理",
        "phone": "13600001111", "industry": "MFG", "type": "potential", "grade": "B",
        "confidentiality": "2", "owner": "1"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/customers/")


def test_a_validation_error_is_422_with_the_form(signed_in):
    token = signed_in.csrf_token("/customers/new")
    response = signed_in.htmx("POST", "/customers/new", headers={"X-CSRFToken": token,
                                                                 "HX-Boosted": "true"},
                              data={"name": ""})
    assert response.status_code == 422 and "请填写客户名称" in response.get_data(as_text=True)


def test_inline_duplicate_hint_while_typing(signed_in):
    html = signed_in.htmx("GET", "/customers/validate/name?name=华信科技有限公司").get_data(
        as_text=True)
    assert "已有同名客户" in html
    assert signed_in.htmx("GET", "/customers/validate/name?name=没有这家").get_data(
        as_text=True).strip() == ""
