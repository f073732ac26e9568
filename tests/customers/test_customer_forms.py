"""Registering and editing customers: validation in Chinese, duplicates, conflicts, no data loss."""

import re

import pytest

from app.extensions import db
from app.models import AuditEvent, Customer, Level, Role
from tests.factories.customers import make_customer
from tests.factories.people import make_user

VALID = {
    "name": "杭州星河数据科技有限公司", "kind": "unit", "contact_name": "周经理",
    "phone": "13812345678", "email": "zhou@xinghe.com.cn", "address": "杭州市西湖区文三路1号",
    "industry": "TECH", "type": "intent", "grade": "A", "source": "expo",
    "first_contact_date": "2026-03-01", "confidentiality": "2", "id_number": "", "remarks": "",
}


@pytest.fixture
def staff(app):
    return make_user(app, "sales1")


def _form(client, **changes):
    values = {**VALID, **changes}
    return client.post_form("/customers/new", values, token_from="/customers/new")


def test_creating_a_customer_numbers_it_and_shows_the_card(client, app, staff):
    client.login("sales1")
    response = _form(client, owner=str(staff.id))
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/customers/\d+", location)
    html = client.get(location).get_data(as_text=True)
    assert re.search(r"\d{4}-TECH-001", html)
    assert "杭州星河数据科技有限公司" in html
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="customer_created").count() == 1


@pytest.mark.parametrize("changes, message", [
    ({"name": ""}, "请填写客户名称"),
    ({"phone": "12345"}, "请输入有效的手机号"),
    ({"email": "not-an-email"}, "电子邮箱格式不正确"),
    ({"industry": ""}, "请选择所属行业"),
    ({"first_contact_date": "2999-01-01"}, "首次接触时间不能晚于今天"),
    ({"first_contact_date": "2026-02-30"}, "请按 年-月-日 填写日期"),
    ({"kind": "person", "id_number": "110101199003071234"}, "身份证号校验位不正确"),
    ({"kind": "person", "id_number": "11010119900307"}, "身份证号应为 18 位"),
    ({"kind": "unit", "id_number": "11010119900307123X"}, "单位客户无需填写身份证号"),
    ({"confidentiality": "3"}, "密级不能高于您本人的涉密级别"),
])
def test_invalid_input_is_refused_with_a_chinese_message_and_nothing_saved(
        client, app, staff, changes, message):
    client.login("sales1")
    response = _form(client, owner=str(staff.id), **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    with app.app_context():
        assert db.session.query(Customer).count() == 0


def test_a_refused_form_keeps_everything_the_user_typed(client, staff):
    client.login("sales1")
    html = _form(client, owner=str(staff.id), phone="12345").get_data(as_text=True)
    typed = ("杭州星河数据科技有限公司", "周经理", "zhou@xinghe.com.cn", "杭州市西湖区文三路1号")
    for value in typed:
        assert value in html


def test_a_valid_person_id_number_is_accepted_and_masked(client, app, staff):
    client.login("sales1")
    response = _form(client, owner=str(staff.id), kind="person", name="钱多多",
                     id_number="11010519491231002x")
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1101**********002X" in html and "11010519491231002X" not in html


def test_the_same_name_is_refused_with_a_link_to_the_existing_card(client, app, staff):
    existing = make_customer(app, staff, name="杭州星河数据科技有限公司")
    client.login("sales1")
    response = _form(client, owner=str(staff.id), name=" 杭州星河数据科技有限公司 ",
                     phone="13900000001")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "已有同名客户" in html and f'href="/customers/{existing.id}"' in html


def test_a_name_above_the_users_clearance_is_refused_without_revealing_the_record(client, app):
    make_user(app, "sales1")
    top = make_user(app, "sales_top", clearance=Level.CONFIDENTIAL)
    secret = make_customer(app, top, name="机密客户有限公司", confidentiality=Level.CONFIDENTIAL)
    client.login("sales1")
    html = _form(client, name="机密客户有限公司", owner="1").get_data(as_text=True)
    assert "已有同名客户" in html and "无权查看" in html
    assert secret.number not in html and f"/customers/{secret.id}" not in html


def test_the_same_phone_warns_with_the_masked_card_and_can_be_confirmed(client, app, staff):
    """Of customers the user sees in full (others are never named by a phone: see
    tests/core/test_login_enumeration.py)."""
    existing = make_customer(app, staff, phone="13812345678")
    client.login("sales1")
    response = _form(client, owner=str(staff.id))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert existing.number in html and "138****5678" in html  # the other card, masked
    confirmed = _form(client, owner=str(staff.id), confirm_same_phone="y")
    assert confirmed.status_code == 303


def test_staff_cannot_assign_a_customer_to_someone_else(client, app, staff):
    other = make_user(app, "sales2")
    client.login("sales1")
    response = _form(client, owner=str(other.id))
    assert response.status_code == 422
    with app.app_context():
        assert db.session.query(Customer).count() == 0


def test_a_manager_cannot_file_a_record_its_owner_could_not_see(client, app, staff):
    make_user(app, "sales_mgr", role=Role.MANAGER, clearance=Level.SECRET)
    client.login("sales_mgr")
    html = _form(client, owner=str(staff.id), confidentiality="3").get_data(as_text=True)
    assert "涉密级别" in html and "低于该客户的密级" in html


def _edit(client, customer, **changes):
    values = {**VALID, "name": customer.name, "phone": "", "owner": str(customer.owner_id),
              "version": "1", **changes}
    return client.post_form(f"/customers/{customer.id}/edit", values)


def test_an_edit_on_a_stale_version_is_refused_and_keeps_the_users_input(client, app, staff):
    customer = make_customer(app, staff)
    client.login("sales1")
    assert _edit(client, customer, remarks="第一次修改").status_code == 303
    response = _edit(client, customer, remarks="第二人的修改，基于旧版本")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "保存冲突" in html and "第一次修改" in html and "第二人的修改，基于旧版本" in html
    assert 'name="version" type="hidden" value="2"' in html
    with app.app_context():
        assert db.session.get(Customer, customer.id).remarks == "第一次修改"


def test_leaving_personal_fields_blank_keeps_them(client, app, staff):
    customer = make_customer(app, staff, phone="13712345678")
    client.login("sales1")
    assert _edit(client, customer, contact_name="新联系人").status_code == 303
    with app.app_context():
        saved = db.session.get(Customer, customer.id)
        assert saved.phone == "13712345678" and saved.contact_name == "新联系人"
        assert saved.version == 2


def test_the_edit_form_never_contains_personal_data_in_clear(client, app, staff):
    customer = make_customer(app, staff, phone="13712345678")
    client.login("sales1")
    html = client.get(f"/customers/{customer.id}/edit").get_data(as_text=True)
    assert "13712345678" not in html and "137****5678" in html
