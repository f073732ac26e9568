"""The catalogue and the 表5-25 register load what they show in a fixed number of statements:
50 items, each with a customer of its own, cost the same statements as 5 (names, borrowers and
signed figures are loaded for the page at once; the template never queries)."""

import pytest

from app.models import User
from tests.factories.archive import catalogue_item
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.queries import assert_flat


@pytest.fixture
def people(app, client, monkeypatch) -> dict[str, User]:
    """The archivist (signed in) and a salesperson owning the customers; pages of 60 rows (all
    50 items on one page)."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 60)
    people = make_people(app, "archivist", "sales1")
    client.login("archivist")
    return people


def _items(app, people, n: int) -> None:
    for _ in range(n):
        customer = make_customer(app, people["sales1"])
        catalogue_item(app, people["archivist"], customer_id=customer.id)


@pytest.mark.parametrize("url", ["/archive/items/", "/archive/items/contracts"])
def test_the_catalogue_pages(app, client, people, url):
    page = assert_flat(client, url, lambda n: _items(app, people, n))
    assert page.count("data-archive-number=") == 50
