"""The statistics are aggregates: the page and the reports send as many statements for 50
records as for 2 (nothing is loaded per record, DESIGN.md "Databases and scale"), and the
pages render in English too."""

from datetime import datetime

import pytest

from app.models.service.records import AfterSalesKind, ServiceType
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.service import make_service_record
from tests.queries import assert_flat


@pytest.fixture
def adder(app):
    users = make_people(app, "sales1", "cs1", "cs_mgr", "gm", "sales_mgr")
    customer = make_customer(app, users["sales1"])
    added = []

    def add_rows(n):
        for _ in range(n):
            added.append(make_service_record(
                app, users["cs1"], customer, service_at=datetime(2026, 3, 3, 9),
                service_type=ServiceType.AFTERSALES, after_sales_kind=AfterSalesKind.REPAIR,
                satisfaction=1 + len(added) % 5, feedback="意见"))
    return add_rows


@pytest.mark.parametrize(("persona", "url"), [
    ("gm", "/service/statistics/?year=2026"),
    ("sales_mgr", "/service/statistics/monthly?month=2026-03"),
    ("cs_mgr", "/service/statistics/weekly?week=2026-03-03"),
])
def test_the_pages_cost_the_same_statements_for_few_records_as_for_many(
        client, adder, persona, url):
    """2 records or 50: the same number of statements (the weekly report lists its records
    with their customer and 负责人 loaded in the same statement)."""
    client.login(persona)
    assert_flat(client, url, adder, few=2, many=50)


def test_the_pages_render_in_english(client, adder):
    """With English chosen, the statistics page, the reports and their PDFs render (the
    labels' placeholders format in either language)."""
    adder(3)
    client.login("gm")
    client.post_form("/preferences/locale", {"locale": "en", "next": "/"})
    for url in ("/service/statistics/?year=2026&quarter=1", "/service/statistics/print.pdf",
                "/service/statistics/monthly?month=2026-03",
                "/service/statistics/weekly.pdf?week=2026-03-03"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert 'lang="en"' in client.get("/service/statistics/").get_data(as_text=True)
