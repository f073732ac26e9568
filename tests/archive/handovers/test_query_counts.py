"""The handover pages load what they show in a fixed number of statements: 50 lists, or a list
of 50 lines, cost the same statements as 5."""

import re

from app.models import DeptCode, Level
from tests.archive.handovers.builders import add_lines, stored_list
from tests.queries import assert_flat


def test_the_list_of_lists(app, client, team, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 60)
    client.login("archivist")

    def add(n):
        for _ in range(n):
            stored_list(app, DeptCode.SALES, team.staff, {"P": Level.PUBLIC, "I": Level.INTERNAL})

    page = assert_flat(client, "/archive/handovers/", add)
    assert len(re.findall(r'id="handover-\d+"', page)) == 50


def test_a_list_of_many_lines(app, client, team):
    client.login("archivist")
    handover = stored_list(app, DeptCode.SALES, team.staff, {"P": Level.PUBLIC})
    url = f"/archive/handovers/{handover.id}"

    page = assert_flat(client, url, lambda n: add_lines(app, handover, n))
    assert len(re.findall(r'id="line-\d+"', page)) >= 50
