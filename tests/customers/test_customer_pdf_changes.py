"""The printed 客户资料管理表 tells the truth about its signature: the fields changed since the
signed version are listed as label, signed value → current value (personal data masked) instead
of a plain 签字有效, and a pending change request is noted with what it proposes."""

import pytest

from app.extensions import db
from app.models import Customer, Grade, User
from app.services.customers import operations
from app.services.customers.edits import save_edit
from tests.factories.approvals import activate, approved_customer, draft
from tests.factories.customers import customer_data
from tests.factories.people import print_team
from tests.support import pdf_text


@pytest.fixture
def team(app):
    return print_team(app)


def _edit(app, customer, **values) -> None:
    """Saves the values as the owner would on the edit form (free fields at once, key fields as
    a change request)."""
    with app.app_context():
        record = db.session.get(Customer, customer.id)
        owner = db.session.get(User, record.owner_id)
        current = {field: getattr(record, field) for field in operations.EDITABLE}
        data = customer_data(record.owner_id, **{**current, "phone": None, "id_number": None,
                                                 **values})
        save_edit(record, data, record.version, "客户更名", owner)
        db.session.commit()


def _print(client, customer) -> str:
    response = client.get(f"/customers/{customer.id}/print.pdf")
    assert response.status_code == 200
    return pdf_text(response.data)


def test_fields_changed_after_the_signature_are_listed_signed_to_current(client, app, team):
    customer = approved_customer(app, team, grade=Grade.B, address="杭州市西湖区文三路1号")
    _edit(app, customer, grade=Grade.A, address="杭州市滨江区江南大道8号")
    client.login("sales1")
    text = _print(client, customer)
    assert "签字有效" not in text
    assert "第 1 版审批签字后，以下内容已修改（未经重新审批）" in text
    assert "客户等级 B类(普通) A类(重点)" in text
    assert "地址 杭州市西湖区文三路1号 杭州市滨江区江南大道8号" in text
    assert "客户名称 " not in text.split("以下内容已修改")[1].split("签字")[0]


def test_a_phone_changed_after_the_signature_is_listed_masked(client, app, team):
    customer = approved_customer(app, team, phone="13912345678")
    _edit(app, customer, phone="13800138000")
    client.login("sales1")
    text = _print(client, customer)
    assert "联系电话 ＊＊＊ 138****8000" in text
    assert "13800138000" not in text and "13912345678" not in text


def test_a_value_changed_and_changed_back_is_not_listed(client, app, team):
    customer = approved_customer(app, team, grade=Grade.B)
    _edit(app, customer, grade=Grade.C)
    _edit(app, customer, grade=Grade.B)
    client.login("sales1")
    text = _print(client, customer)
    assert "签字有效" in text and "以下内容已修改" not in text


def test_a_pending_change_request_is_noted_with_what_it_proposes(client, app, team):
    customer = approved_customer(app, team, name="变更前有限公司")
    _edit(app, customer, name="变更后有限公司")
    client.login("sales1")
    text = _print(client, customer)
    assert "有待审批的变更申请" in text
    assert "客户名称 变更前有限公司 变更后有限公司" in text
    assert "签字有效" in text  # the signed content itself is unchanged until approved


def test_changes_before_the_signature_are_not_listed(client, app, team):
    """What a draft went through before its review is what the manager signed."""
    customer = draft(app, team.staff, grade=Grade.B)
    _edit(app, customer, grade=Grade.A)
    activate(app, customer, team.manager)
    client.login("sales1")
    text = _print(client, customer)
    assert "签字有效" in text and "以下内容已修改" not in text
