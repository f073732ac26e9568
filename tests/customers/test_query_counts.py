"""The customer list loads what it shows in a fixed number of statements: 50 customers, each
with an owner of their own, cost the same statements as 5."""

import re

import pytest

from tests.factories import bulk
from tests.factories.people import make_people
from tests.queries import assert_flat


@pytest.mark.parametrize("view", ["", "?view=directory"])
def test_the_customer_list(app, client, monkeypatch, view):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 60)
    make_people(app, "sales_mgr")
    client.login("sales_mgr")
    page = assert_flat(client, f"/customers/{view}",
                       lambda n: bulk.customers(app, bulk.salespeople(app, n)))
    assert len(re.findall(r"批量客户\d+有限公司", page)) == 50
