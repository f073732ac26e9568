"""Whitespace-only is empty, for every form and filter at once (app/parsing.py), and a phone is
normalised before it is checked (services/core/validation.py, the one function forms and
imports call): +86 / 0086, full-width digits, spaces, dashes and brackets give one canonical
form."""

import pytest
from werkzeug.datastructures import ImmutableMultiDict

from app.extensions import db
from app.models import Customer
from app.parsing import blanked
from app.services.core.validation import is_blank, is_valid_phone, normalize_phone
from tests.factories.customers import make_customer
from tests.factories.people import make_user

VALID = {
    "name": "空白测试科技有限公司", "kind": "unit", "contact_name": "周经理",
    "phone": "13812345678", "email": "", "address": "", "industry": "TECH", "type": "intent",
    "grade": "A", "source": "", "first_contact_date": "", "confidentiality": "2",
    "id_number": "", "remarks": "",
}
BLANKS = [" ", "   ", "\u3000", "\u3000 \u3000", "\t\n", "\u200b", " \ufeff\u3000"]


@pytest.mark.parametrize("typed, canonical", [
    ("+86 138 0013 8000", "13800138000"),
    ("０１３８００１３８０００", "13800138000"),
    ("１３８　００１３　８０００", "13800138000"),
    ("0086-138-0013-8000", "13800138000"),
    ("+86-13800138000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("(010) 1234-5678", "010-12345678"),
    ("（０１０）１２３４５６７８", "010-12345678"),
    ("010 1234 5678", "010-12345678"),
    ("01012345678", "010-12345678"),
    ("+86 10 1234 5678", "010-12345678"),
    ("0571-8888888", "0571-8888888"),
    ("010-12345678-123", "010-12345678-123"),
    ("021 1234 5678 转 88", "021-12345678-88"),
])
def test_a_phone_is_normalised_to_one_form_and_valid(typed, canonical):
    assert normalize_phone(typed) == canonical
    assert normalize_phone(canonical) == canonical  # the form is stable
    assert is_valid_phone(typed)


@pytest.mark.parametrize("typed", ["12345", "+86 12345", "23800138000", "0086", "+1 415 555 0100",
                                   "138001380001", "abc", "010-123", "00-12345678", "0",
                                   "0-1", "0 转 12", "+86 0"])
def test_what_is_no_phone_stays_invalid(typed):
    """A value that is no phone is refused (never an error: a lone 0 with an extension once
    raised IndexError, a 500 on the customer form)."""
    assert not is_valid_phone(typed)


@pytest.mark.parametrize("value", BLANKS)
def test_spaces_and_invisible_characters_are_blank(value):
    assert is_blank(value)
    assert blanked(ImmutableMultiDict([("a", value), ("b", " x ")])) == ImmutableMultiDict(
        [("a", ""), ("b", " x ")])


def test_text_with_spaces_is_not_blank():
    assert not is_blank("\u3000华信\u3000") and not is_blank("0")


def _register(client, **changes):
    return client.post_form("/customers/new", {**VALID, **changes}, token_from="/customers/new")


@pytest.mark.parametrize("name", BLANKS)
def test_a_customer_name_of_only_spaces_is_refused_as_missing(client, app, name):
    make_user(app, "sales1")
    client.login("sales1")
    response = _register(client, name=name)
    assert response.status_code == 422
    assert "请填写客户名称" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Customer).count() == 0


def test_a_contact_name_of_only_spaces_is_refused_too(client, app):
    """The same rule on a field no one wrote a special check for."""
    make_user(app, "sales1")
    client.login("sales1")
    response = _register(client, contact_name="\u3000\u3000")
    assert response.status_code == 422 and "请填写联系人姓名" in response.get_data(as_text=True)


def test_an_edit_to_a_blank_name_is_refused(client, app):
    owner = make_user(app, "sales1")
    customer = make_customer(app, owner, name="原名有限公司")
    client.login("sales1")
    url = f"/customers/{customer.id}/edit"
    values = {**VALID, "name": "\u3000 ", "owner": str(owner.id), "version": "1"}
    response = client.post_form(url, values, token_from=url)
    assert response.status_code == 422 and "请填写客户名称" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Customer, customer.id).name == "原名有限公司"


@pytest.mark.parametrize("typed", ["+86 138 0013 8000", "０１３８００１３８０００",
                                   "0086-138-0013-8000"])
def test_the_customer_form_stores_the_normalised_mobile(client, app, typed):
    make_user(app, "sales1")
    client.login("sales1")
    assert _register(client, phone=typed).status_code == 303
    with app.app_context():
        assert db.session.query(Customer.phone).scalar() == "13800138000"


def test_the_customer_form_stores_a_landline_with_its_area_code(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    assert _register(client, phone="(010) 1234-5678").status_code == 303
    with app.app_context():
        assert db.session.query(Customer.phone).scalar() == "010-12345678"


def test_a_filter_of_only_spaces_filters_nothing(client, app):
    owner = make_user(app, "sales1")
    make_customer(app, owner, name="过滤测试有限公司")
    client.login("sales1")
    response = client.get("/customers/", query_string={"q": "\u3000\u3000", "owner": " "})
    assert response.status_code == 200 and "过滤测试有限公司" in response.get_data(as_text=True)
