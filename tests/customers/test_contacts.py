"""A customer's contacts: exactly one primary while any exist; phones masked on every page and
revealed one at a time with a reason (audited); changes audited with phones as "changed";
a stale edit is refused; htmx requests get the section back."""

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Contact
from tests.factories.customers import make_contact, make_customer
from tests.factories.people import make_user
from tests.support import fetch

MOBILE = "13912345678"
PHONE = "010-66778899"


@pytest.fixture
def customer(app):
    owner = make_user(app, "sales1")
    make_user(app, "sales2")
    return make_customer(app, owner, name="联系人测试有限公司")


def _contacts(app, customer_id: int) -> list[Contact]:
    with app.app_context():
        return list(db.session.scalars(select(Contact).where(Contact.customer_id == customer_id)
                                       .order_by(Contact.id)))


def _primaries(app, customer_id: int) -> list[str]:
    return [c.name for c in _contacts(app, customer_id) if c.is_primary]


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                       .order_by(AuditEvent.id)))


def _add(client, customer, **fields):
    data = {"name": "钱经理", "title": "采购经理", "mobile": MOBILE, **fields}
    return client.post_form(f"/customers/{customer.id}/contacts/new", data)


def test_the_first_contact_becomes_primary_and_a_new_primary_unmarks_the_others(client, app,
                                                                               customer):
    client.login("sales1")
    assert _add(client, customer, name="甲").status_code == 303
    assert _add(client, customer, name="乙").status_code == 303
    assert _primaries(app, customer.id) == ["甲"]
    assert _add(client, customer, name="丙", is_primary="y").status_code == 303
    assert _primaries(app, customer.id) == ["丙"]
    first = _contacts(app, customer.id)[0]
    response = client.post_form(f"/customers/{customer.id}/contacts/{first.id}/primary", {})
    assert response.status_code == 303
    assert _primaries(app, customer.id) == ["甲"]


def test_deleting_the_primary_passes_it_to_the_earliest_remaining_contact(client, app,
                                                                          customer):
    a = make_contact(app, customer, name="甲")
    make_contact(app, customer, name="乙")
    make_contact(app, customer, name="丙")
    client.login("sales1")
    response = client.post_form(f"/customers/{customer.id}/contacts/{a.id}/delete", {})
    assert response.status_code == 303
    assert [c.name for c in _contacts(app, customer.id)] == ["乙", "丙"]
    assert _primaries(app, customer.id) == ["乙"]
    deleted = _events(app, "contact_deleted")[0]
    assert json.loads(deleted.changes)["name"] == ["甲", None]


def test_phones_are_masked_in_the_section_and_never_sent_in_clear(client, app, customer):
    make_contact(app, customer, mobile=MOBILE, phone=PHONE)
    client.login("sales1")
    html = client.get(f"/customers/{customer.id}/contacts").get_data(as_text=True)
    assert "139****5678" in html and "010-****8899" in html
    assert MOBILE not in html and PHONE not in html
    contact = _contacts(app, customer.id)[0]
    form = client.get(f"/customers/{customer.id}/contacts/{contact.id}/edit")
    assert MOBILE not in form.get_data(as_text=True)


def test_the_customer_page_loads_the_contacts_section(client, app, customer):
    client.login("sales1")
    html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert f'hx-get="/customers/{customer.id}/contacts"' in html
    assert "联系人" in html


def test_htmx_gets_the_section_fragment_and_a_refresh_event(client, app, customer):
    client.login("sales1")
    token = client.csrf_token("/")
    response = client.htmx("POST", f"/customers/{customer.id}/contacts/new",
                           data={"name": "钱经理", "mobile": MOBILE, "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="contacts"') and "<html" not in html
    assert "contacts-changed" in response.headers["HX-Trigger"]
    assert "139****5678" in html and MOBILE not in html


@pytest.mark.parametrize("fields, message", [
    ({"name": ""}, "请填写联系人姓名。"),
    ({"mobile": "12345"}, "请输入有效的手机号"),
    ({"email": "not-an-email"}, "电子邮箱格式不正确。"),
])
def test_invalid_contacts_are_refused_with_a_chinese_message(client, app, customer, fields,
                                                             message):
    client.login("sales1")
    response = _add(client, customer, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _contacts(app, customer.id) == []


def test_an_edit_keeps_blank_phones_clears_on_request_and_audits_phones_as_changed(
        client, app, customer):
    contact = make_contact(app, customer, mobile=MOBILE, phone=PHONE)
    client.login("sales1")
    stamp = fetch(app, Contact, contact.id).updated_at.isoformat()
    url = f"/customers/{customer.id}/contacts/{contact.id}/edit"
    response = client.post_form(url, {"name": "钱总", "title": "总经理", "stamp": stamp,
                                      "phone": "", "mobile": "", "clear_phone": "y"})
    assert response.status_code == 303
    saved = fetch(app, Contact, contact.id)
    assert (saved.name, saved.mobile, saved.phone) == ("钱总", MOBILE, None)
    event = _events(app, "contact_updated")[-1]
    changes = json.loads(event.changes)
    assert changes["name"] == ["钱经理", "钱总"] and changes["phone"] == "changed"
    assert "mobile" not in changes and PHONE not in event.changes


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client, app, customer):
    contact = make_contact(app, customer)
    client.login("sales1")
    url = f"/customers/{customer.id}/contacts/{contact.id}/edit"
    response = client.post_form(url, {"name": "新名字", "stamp": "2000-01-01T00:00:00"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "已被他人修改" in html and "新名字" in html
    assert fetch(app, Contact, contact.id).name == "钱经理"


def test_creating_is_audited_with_phones_as_changed(client, app, customer):
    client.login("sales1")
    _add(client, customer)
    event = _events(app, "contact_created")[0]
    changes = json.loads(event.changes)
    assert changes["mobile"] == "changed" and changes["name"] == [None, "钱经理"]
    assert MOBILE not in event.changes and customer.number in event.object_label


def test_revealing_needs_a_reason_and_audits_who_and_why_not_the_value(client, app, customer):
    contact = make_contact(app, customer, mobile=MOBILE)
    client.login("sales1")
    url = f"/customers/{customer.id}/contacts/{contact.id}/reveal"
    refused = client.post_form(url, {"field": "mobile", "reason": ""})
    assert refused.status_code == 422 and MOBILE not in refused.get_data(as_text=True)
    assert _events(app, "reveal_pii") == []
    shown = client.post_form(url, {"field": "mobile", "reason": "核对联系方式"})
    assert shown.status_code == 200 and MOBILE in shown.get_data(as_text=True)
    event = _events(app, "reveal_pii")[0]
    assert json.loads(event.changes) == {"field": "mobile", "reason": "核对联系方式"}
    assert event.object_type == "Contact" and MOBILE not in event.changes
    assert client.post_form(url, {"field": "id_number", "reason": "核对"}).status_code == 422


def test_a_contact_is_only_reachable_under_its_own_customer(client, app, customer):
    other = make_customer(app, make_user(app, "sales3"), name="另一家有限公司")
    contact = make_contact(app, other)
    make_contact(app, customer)
    client.login("sales1")
    url = f"/customers/{customer.id}/contacts/{contact.id}/edit"
    assert client.get(url).status_code == 404
    assert client.post_form(f"/customers/{customer.id}/contacts/{contact.id}/delete",
                            {}).status_code == 404
    assert len(_contacts(app, other.id)) == 1


def test_a_colleague_without_the_customer_cannot_manage_its_contacts(client, app, customer):
    contact = make_contact(app, customer)
    client.login("sales2")
    assert client.get(f"/customers/{customer.id}/contacts").status_code == 403
    assert client.post_form(f"/customers/{customer.id}/contacts/{contact.id}/delete",
                            {}).status_code == 403
    assert len(_contacts(app, customer.id)) == 1
