"""Personal data is masked on the server everywhere; revealing one value needs a reason and
is audited."""

import json

import pytest

from app.extensions import db
from app.models import AuditEvent, CustomerKind
from tests.factories.customers import make_customer
from tests.factories.people import make_user

PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def customer(app):
    owner = make_user(app, "sales1")
    return make_customer(app, owner, name="孙悟空", kind=CustomerKind.PERSON, phone=PHONE,
                         id_number=ID_NUMBER)


@pytest.mark.parametrize("url", ["/customers/", "/customers/?q=悟空", "/customers/{id}",
                                 "/customers/{id}/edit", "/customers/?view=directory"])
def test_pages_never_contain_personal_data_in_clear(client, customer, url):
    client.login("sales1")
    html = client.get(url.format(id=customer.id)).get_data(as_text=True)
    assert PHONE not in html and ID_NUMBER not in html


def test_the_detail_page_shows_the_masks(client, customer):
    client.login("sales1")
    html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "139****5678" in html and "1101**********002X" in html


def test_revealing_needs_a_stated_reason(client, app, customer):
    client.login("sales1")
    response = client.post_form(f"/customers/{customer.id}/reveal", {"field": "phone",
                                                                      "reason": ""})
    assert response.status_code == 422
    assert "请说明查看原因" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="reveal_pii").count() == 0


def test_revealing_shows_one_value_and_audits_who_and_why_but_not_the_value(client, app,
                                                                            customer):
    client.login("sales1")
    response = client.post_form(f"/customers/{customer.id}/reveal",
                                {"field": "id_number", "reason": "办理合同需核对身份"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ID_NUMBER in html and PHONE not in html
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="reveal_pii").one()
    assert json.loads(event.changes) == {"field": "id_number", "reason": "办理合同需核对身份"}
    assert ID_NUMBER not in event.changes and event.object_id == customer.id


def test_only_masked_fields_can_be_revealed(client, customer):
    client.login("sales1")
    response = client.post_form(f"/customers/{customer.id}/reveal",
                                {"field": "password_hash", "reason": "好奇"})
    assert response.status_code == 422
