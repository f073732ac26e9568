"""The platform's lists load what they show in a fixed number of statements: 50 accounts, or
50 audit events by 50 people, cost the same statements as 5."""

import re

from tests.factories import bulk
from tests.factories.people import make_people
from tests.queries import assert_flat


def test_the_user_list(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 60)
    make_people(app, "admin")
    client.login("admin")
    page = assert_flat(client, "/admin/users/", lambda n: bulk.salespeople(app, n))
    assert len(re.findall(r"销售\d+号", page)) == 50


def test_the_audit_trail(app, client):
    """Its pages hold 50 events; the auditor's own sign-ins add a few to the first."""
    make_people(app, "auditor")
    client.login("auditor")
    page = assert_flat(client, "/audit/",
                       lambda n: bulk.audit_events(app, bulk.salespeople(app, n)))
    assert len(re.findall(r"销售\d+号", page)) >= 40
