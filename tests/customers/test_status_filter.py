"""The customer list's 状态: a column showing 草稿 / 审批中 / 已生效 and a filter
(/customers/?status=draft|review|active) that the Excel export honours; an invalid value filters
nothing and is never an error."""

import pytest

from app.extensions import db
from app.models import Customer, CustomerStatus
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.support import sheet

NAMES = {CustomerStatus.DRAFT: "状态草稿有限公司", CustomerStatus.SUBMITTED: "状态审批有限公司",
         CustomerStatus.ACTIVE: "状态生效有限公司"}


@pytest.fixture
def three(app):
    """One customer of sales1's in each review state."""
    owner = make_user(app, "sales1")
    made = {status: make_customer(app, owner, name=name) for status, name in NAMES.items()}
    with app.app_context():
        for status, customer in made.items():
            db.session.get(Customer, customer.id).status = status
        db.session.commit()
    return made


def _names(html: str) -> set[str]:
    return {name for name in NAMES.values() if name in html}


@pytest.mark.parametrize("value, status", [("draft", CustomerStatus.DRAFT),
                                           ("review", CustomerStatus.SUBMITTED),
                                           ("active", CustomerStatus.ACTIVE)])
def test_the_status_filter_shows_only_customers_in_that_state(client, three, value, status):
    client.login("sales1")
    response = client.get(f"/customers/?status={value}")
    assert response.status_code == 200
    assert _names(response.get_data(as_text=True)) == {NAMES[status]}


@pytest.mark.parametrize("value", ["bogus", "submitted", "DRAFT", "　", "%00", "a" * 500])
def test_an_invalid_status_filters_nothing(client, three, value):
    client.login("sales1")
    response = client.get("/customers/", query_string={"status": value})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert _names(response.get_data(as_text=True)) == set(NAMES.values())


def test_the_list_has_a_status_column_with_the_state_as_a_badge(client, three):
    client.login("sales1")
    html = client.get("/customers/").get_data(as_text=True)
    assert '<th scope="col">状态</th>' in html
    for status in NAMES:
        assert f'data-status="{status.value}"><span class="badge status-{status.value}">' \
               f"{status.label}</span>" in html
    assert 'name="status"' in html and '<option value="review">审批中</option>' in html


def test_the_export_honours_the_status_filter_and_has_the_column(client, three):
    client.login("sales1")
    rows = sheet(client.get("/customers/export.xlsx?status=review"))
    header = next(i for i, row in enumerate(rows) if "客户名称" in row)
    names = [row[rows[header].index("客户名称")] for row in rows[header + 1:]
             if row[rows[header].index("客户名称")] in NAMES.values()]
    assert names == [NAMES[CustomerStatus.SUBMITTED]]
    assert rows[header + 1][rows[header].index("状态")] == "审批中"


def test_the_directory_is_not_filtered_by_a_state_it_does_not_show(client, app, three):
    """Basic cards carry no review state: a colleague's drafts are not found by their state."""
    make_user(app, "sales2")
    client.login("sales2")
    html = client.get("/customers/?view=directory&status=draft").get_data(as_text=True)
    assert _names(html) == set(NAMES.values())
    assert 'data-status=' not in html
