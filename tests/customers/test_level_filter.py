"""The customer list's 密级 filter (level=): it narrows the list and its export to one level,
within the user's clearance; a level above it shows nothing and never errors. Every filter
applies on its own, whatever else the query string holds or leaves out."""

import pytest

from app.models import Grade, Level
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.support import sheet

# The list's filter form as the page sends it: every field, blank but the one chosen.
FORM = "q=&view=mine&type=&grade=&industry=&owner=&level={}&sort=&dir="


@pytest.fixture
def ledger(app):
    """A 机密-cleared salesperson with one customer per level, and an 内部 colleague."""
    people = make_people(app, "sales_top", "sales1")
    return {level: make_customer(app, people["sales_top"], name=f"密级{level.value}客户有限公司",
                                 confidentiality=level) for level in Level}


def _names(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    body = response.get_data(as_text=True)
    return {level for level in Level if f"密级{level.value}客户有限公司" in body}


@pytest.mark.parametrize("query", ["level={}", FORM])
def test_the_level_filter_shows_only_that_level(client, ledger, query):
    client.login("sales_top")
    for level in Level:
        assert _names(client, "/customers/?" + query.format(level.value)) == {level}
    assert _names(client, "/customers/?" + query.format("")) == set(Level)


def test_a_level_above_the_users_clearance_shows_nothing_and_never_errors(client, ledger):
    client.login("sales1")
    directory = "/customers/?view=directory&level={}"
    assert _names(client, directory.format(Level.INTERNAL.value)) == {Level.INTERNAL}
    for above in (Level.SECRET, Level.CONFIDENTIAL):
        assert _names(client, directory.format(above.value)) == set()
        assert _names(client, "/customers/?" + FORM.format(above.value)) == set()


@pytest.mark.parametrize("value", ["9", "0", "-1", "abc", "1.5", str(2**70), "１"])
def test_a_value_that_is_no_level_is_ignored(client, ledger, value):
    client.login("sales_top")
    assert _names(client, f"/customers/?level={value}") == set(Level)


def test_the_export_obeys_the_level_filter(client, ledger):
    client.login("sales_top")
    rows = sheet(client.get("/customers/export.xlsx?" + FORM.format(Level.SECRET.value)))
    assert [row[1] for row in rows[1:]] == ["密级3客户有限公司"]
    client.login("sales1")
    rows = sheet(client.get("/customers/export.xlsx?view=directory&level=4"))
    assert rows[1:] == []


def test_each_filter_applies_without_the_others_in_the_query(client, app, ledger):
    make_customer(app, make_people(app, "sales2")["sales2"], name="甲类客户有限公司",
                  grade=Grade.A)
    client.login("sales_top")
    listed = client.get("/customers/?view=directory&grade=A").get_data(as_text=True)
    assert "甲类客户有限公司" in listed and "密级1客户有限公司" not in listed
