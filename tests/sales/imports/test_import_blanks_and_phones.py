"""The customer import reads blank and phone cells by the forms' rules: a required cell of only
spaces (full-width too) is missing, and a phone as people write it (+86, 0086, full-width
digits, spaces, dashes, brackets) is stored in the one canonical form."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Customer
from tests.factories.imports import imported, row, upload, workbook
from tests.factories.people import make_user

pytestmark = pytest.mark.usefixtures("immediate_jobs")


@pytest.mark.parametrize("name", ["   ", "\u3000\u3000", " \u3000 "])
def test_a_name_of_only_spaces_is_an_error_of_the_row(client, app, name):
    make_user(app, "sales1")
    client.login("sales1")
    page = upload(client, workbook([row(1), row(2, 客户名称=name)])).get_data(as_text=True)
    assert 'id="count-create">新增 1' in page and 'id="count-error">错误 1' in page
    assert "请填写客户名称" in page


def test_phones_are_stored_normalised(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    rows = [row(1, 联系电话="+86 138 0013 8001"), row(2, 联系电话="０１３８００１３８００２"),
            row(3, 联系电话="0086-138-0013-8003"), row(4, 联系电话="(010) 1234-5678")]
    imported(client, rows)
    with app.app_context():
        phones = db.session.scalars(select(Customer.phone).order_by(Customer.id)).all()
    assert phones == ["13800138001", "13800138002", "13800138003", "010-12345678"]
