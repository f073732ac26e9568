"""The inbox loads what it shows in a fixed number of statements: 50 requests waiting for the
manager, each submitted by another salesperson, cost the same statements as 5."""

import re

from app.models import CustomerStatus
from tests.factories import bulk
from tests.factories.people import make_people
from tests.queries import assert_flat


def test_the_inbox(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 60)
    make_people(app, "sales_mgr")
    client.login("sales_mgr")

    def add(n):
        owners = bulk.salespeople(app, n)
        bulk.submitted(app, bulk.customers(app, owners, status=CustomerStatus.DRAFT))

    page = assert_flat(client, "/approvals/", add)
    assert len(re.findall(r"销售\d+号", page)) == 50
