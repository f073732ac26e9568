"""The customer list loads what it shows in a fixed number of statements: 50 customers, each
with an owner of their own, cost the same statements as 5; the customer's page, its signed
versions however many there are."""

import re

import pytest

from app.extensions import db
from app.models import Customer, User
from app.services.customers.review import propose_change
from tests.factories import bulk
from tests.factories.approvals import approved_customer, latest_request_id, sign_as
from tests.factories.people import make_people, make_team
from tests.queries import assert_flat, counted, page_statements


@pytest.mark.parametrize("view", ["", "?view=directory"])
def test_the_customer_list(app, client, monkeypatch, view):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 60)
    make_people(app, "sales_mgr")
    client.login("sales_mgr")
    page = assert_flat(client, f"/customers/{view}",
                       lambda n: bulk.customers(app, bulk.salespeople(app, n)))
    assert len(re.findall(r"批量客户\d+有限公司", page)) == 50


def _approved_change(app, customer_id: int, staff, manager, name: str) -> None:
    """A change of the customer's name, proposed by its salesperson, approved by the manager:
    one more signed version."""
    with app.app_context():
        change = propose_change(db.session.get(Customer, customer_id), {"name": name}, "工商变更",
                                db.session.get(User, staff.id))
        db.session.commit()
        change_id = change.id
    sign_as(app, latest_request_id(app, change_id, "ChangeRequest"), manager)


def test_the_customer_page_costs_the_same_statements_for_one_signed_version_as_for_three(
        app, client):
    """The review panel loads the versions, their signatures and the pending requests in a
    fixed number of statements (and the validity check reuses the loaded latest version)."""
    team = make_team(app, {"staff": "sales1", "manager": "sales_mgr"})
    customer = approved_customer(app, team, name="版本客户有限公司")
    client.login("sales_mgr")
    one = page_statements(client, f"/customers/{customer.id}")
    for name in ("版本客户二有限公司", "版本客户三有限公司"):
        _approved_change(app, customer.id, team.staff, team.manager, name)
    html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "第 3 版" in html and "签字有效" in html
    assert page_statements(client, f"/customers/{customer.id}") == one


def test_the_customer_page_reads_the_customer_once(app, client):
    """The customer row (with its owner and department) is read once per page."""
    team = make_team(app, {"staff": "sales1", "manager": "sales_mgr"})
    customer = approved_customer(app, team, name="一次读取有限公司")
    client.login("sales_mgr")
    assert page_statements(client, f"/customers/{customer.id}")
    with counted() as counter:
        client.get(f"/customers/{customer.id}")
    reads = [s for s in counter.statements if s.lstrip().startswith("SELECT customers.id")]
    assert len(reads) == 1, reads
