"""The customer's page shows its service history (服务记录) as the viewer's own service record
list would: the latest five, newest first, with type, state and 负责人, counted by the same
scope (a record outside it is neither listed nor counted); the same statements for 1 row as
for 7. (The customer master shows sections only to who sees the full profile.)"""

import re
from datetime import datetime

from app.models.service.records import ServiceStatus
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.service import make_service_record
from tests.queries import assert_flat


def _section(client, customer) -> str | None:
    response = client.get(f"/customers/{customer.id}")
    assert response.status_code == 200
    found = re.search(r'<section[^>]*id="customer-service".*?</section>',
                      response.get_data(as_text=True), re.S)
    return found.group(0) if found else None


def _records(app, receiver, customer, n, start=1):
    return [make_service_record(app, receiver, customer, service_at=datetime(2026, 3, day, 9),
                                status=ServiceStatus.DONE if day % 2 else ServiceStatus.PENDING)
            for day in range(start, start + n)]


def test_the_history_lists_the_latest_records_the_viewer_may_see(app, client):
    """Three records registered by cs1, four by cs2, one by the sales manager (首问负责制):
    the customer's owner (sales1) reads its whole service history, 8, the latest five listed
    newest first with the open ones counted; the sales manager only the one they registered;
    the GM all 8."""
    users = make_people(app, "sales1", "sales_mgr", "cs1", "cs2", "gm")
    customer = make_customer(app, users["sales1"], name="服务历史客户有限公司")
    first = _records(app, users["cs1"], customer, 3)
    later = _records(app, users["cs2"], customer, 4, start=10)
    registered = _records(app, users["sales_mgr"], customer, 1, start=20)
    client.login("sales1")
    section = _section(client, customer)
    assert 'data-total="8"' in section and 'data-open="4"' in section  # days 2, 10, 12, 20
    assert re.findall(r'data-record="([^"]+)"', section) == [
        r.number for r in reversed(first + later + registered)][:5]
    client.login("sales_mgr")
    section = _section(client, customer)
    assert 'data-total="1"' in section
    assert re.findall(r'data-record="([^"]+)"', section) == [registered[0].number]
    client.login("gm")
    assert 'data-total="8"' in _section(client, customer)


def test_a_record_the_viewer_may_not_see_is_neither_listed_nor_counted(app, client):
    """The sales manager sees the full profile of every sales
    customer, but a record they neither registered nor own is not in their section: it says
    there is none."""
    users = make_people(app, "sales1", "sales_mgr", "cs1")
    customer = make_customer(app, users["sales1"])
    hidden = _records(app, users["cs1"], customer, 1)[0]
    client.login("sales_mgr")
    section = _section(client, customer)
    assert 'data-total="0"' in section and hidden.number not in section
    assert "没有您可查看的服务记录" in section


def test_the_section_costs_the_same_statements_for_one_record_as_for_many(app, client):
    """The section's rows come in one statement: 1 record or 7, the page's count is flat."""
    users = make_people(app, "sales1", "cs1")
    customer = make_customer(app, users["sales1"])
    added = []

    def add_rows(n):
        added.extend(_records(app, users["cs1"], customer, n, start=len(added) + 1))

    client.login("sales1")
    html = assert_flat(client, f"/customers/{customer.id}", add_rows, few=1, many=7)
    assert len(re.findall(r'data-record="', html)) == 5
