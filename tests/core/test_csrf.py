"""CSRF: every POST needs the session's token, as a form field or (htmx) the X-CSRFToken header."""

import pytest

from tests.factories.customers import make_customer
from tests.factories.people import make_user


@pytest.fixture
def owner(app):
    return make_user(app, "sales1")


def test_a_post_without_token_is_refused_with_a_chinese_message(client, owner):
    client.login("sales1")
    response = client.post("/customers/new", data={"name": "无令牌客户有限公司"})
    assert response.status_code == 400
    assert "安全令牌无效" in response.get_data(as_text=True)


def test_sign_in_without_token_is_refused(client, owner):
    response = client.post("/login", data={"username": "sales1", "password": "x"})
    assert response.status_code == 400


def test_an_htmx_post_with_a_forged_header_is_refused(client, app, owner):
    customer = make_customer(app, owner)
    client.login("sales1")
    response = client.htmx("POST", f"/customers/{customer.id}/reveal",
                           data={"field": "phone", "reason": "核对"},
                           headers={"X-CSRFToken": "forged"})
    assert response.status_code == 400


def test_an_htmx_post_with_the_page_token_in_the_header_is_accepted(client, app, owner):
    customer = make_customer(app, owner)
    client.login("sales1")
    token = client.csrf_token(f"/customers/{customer.id}")
    response = client.htmx("POST", f"/customers/{customer.id}/reveal",
                           data={"field": "phone", "reason": "核对"},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 200
