"""The service record list (issue 12 req. 7): search by customer name or number, filters, the
SLA state from the stored deadlines (in SQL), the masked export, and a page whose statements do
not grow with its rows."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import User
from app.models.service.records import ServiceRecord, ServiceStatus
from app.services.service.records import lists
from app.timeutil import local_wall_clock
from tests.factories import bulk
from tests.factories.customers import make_customer
from tests.factories.service import make_service_record
from tests.queries import assert_flat
from tests.support import sheet

LIST = "/service/records/"


@pytest.fixture
def records(app, team, customer):
    """Two records of 华信科技 (one 重大, breached), one of another customer."""
    other = make_customer(app, team.other, name="远东物流有限公司", phone="13900001111")
    return [make_service_record(app, team.cs1, customer, handler_id=team.cs1.id, major=True,
                                resolution_breached=True, content="主板故障"),
            make_service_record(app, team.cs1, customer, handler_id=team.cs2.id,
                                contact_phone="13812345678"),
            make_service_record(app, team.cs1, other, handler_id=team.cs1.id)]


def _shown(client, query: str = "") -> set[str]:
    page = client.get(LIST + query).get_data(as_text=True)
    return {number for number in _all_numbers(client.application) if number in page}


def _all_numbers(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(ServiceRecord.number)))


def test_search_by_customer_name_and_number(client, team, records):
    """q= matches the customer's name (one or two characters too) or the record number's
    beginning (so the customer's number, in any case, finds all their records)."""
    client.login("cs_mgr")
    first, second, third = (r.number for r in records)
    assert _shown(client, "?q=华信") == {first, second}
    assert _shown(client, "?q=远") == {third}
    assert _shown(client, f"?q={second}") == {second}
    assert _shown(client, f"?q={second.rsplit('-', 1)[0].lower()}") == {first, second}
    assert _shown(client, "?q=不存在的客户") == set()
    assert "没有找到符合条件的服务记录" in client.get(LIST + "?q=不存在的客户").get_data(
        as_text=True)


@pytest.mark.parametrize("broad_above", [0, 1])
def test_a_broad_search_walks_the_records_and_finds_the_same(client, team, records,
                                                             monkeypatch, broad_above):
    """A search matching more customers than BROAD_MATCH tests each record against the
    matches instead of collecting them: the same records, the record number's beginning too
    (here every search counts as broad, or any matching more than one customer)."""
    monkeypatch.setattr(lists, "BROAD_MATCH", broad_above)
    client.login("cs_mgr")
    first, second, third = (r.number for r in records)
    assert _shown(client, "?q=有限") == {first, second, third}
    assert _shown(client, "?q=华信") == {first, second}
    assert _shown(client, f"?q={second.rsplit('-', 1)[0].lower()}") == {first, second}
    assert _shown(client, "?q=不存在的客户") == set()
    assert _shown(client, "?q=有限&status=pending") == {first, second, third}
    assert _shown(client, "?q=有限&status=closed") == set()


def test_filters(client, team, records):
    """status, type, priority, handler, SLA breached and major narrow the list."""
    client.login("cs_mgr")
    first, second, third = (r.number for r in records)
    assert _shown(client, "?major=y") == {first}
    assert _shown(client, "?breached=y") == {first}
    assert _shown(client, f"?handler={team.cs2.id}") == {second}
    assert _shown(client, "?status=done") == set()
    assert _shown(client, "?service_type=aftersales&priority=medium") == {first, second, third}
    assert _shown(client, "?status=nonsense") == {first, second, third}  # ignored, never fatal


def test_sla_state_comes_from_the_stored_flags(client, team, records):
    """The SLA column reads the stored breach flag (no computation per row)."""
    client.login("cs_mgr")
    page = client.get(LIST).get_data(as_text=True)
    assert page.count('data-sla-state="overdue"') == 1


@pytest.fixture
def open_page(app, team, customer):
    """The manager's open-records page: a record past its stored resolution due (no breach
    flag stored yet), one due within the hour, one paused, one done, one whose follow-up is
    overdue."""
    with app.app_context():
        now = local_wall_clock()
    make = lambda **f: make_service_record(app, team.cs1, customer, **f)  # noqa: E731
    return {"late": make(status=ServiceStatus.PROCESSING, resolution_due=now - timedelta(hours=1)),
            "soon": make(status=ServiceStatus.PROCESSING,
                         resolution_due=now + timedelta(minutes=50)),
            "paused": make(status=ServiceStatus.WAITING_PARTS,
                           resolution_due=now - timedelta(hours=1)),
            "done": make(status=ServiceStatus.DONE, resolution_due=now - timedelta(days=1)),
            "follow": make(status=ServiceStatus.PROCESSING,
                           resolution_due=now + timedelta(days=3),
                           next_follow_up_due=now - timedelta(days=1))}


def test_the_open_page_shows_each_records_sla_state_and_overdue_follow_ups(client, open_page):
    """Rule: status=open lists every open record (paused ones too, not done ones); the SLA
    state is read against now from the stored deadlines — past due is 已超时 even before the
    job stores a breach flag, a paused clock is 已暂停 — and an overdue follow-up is marked."""
    client.login("cs_mgr")
    number = {key: record.number for key, record in open_page.items()}
    assert _shown(client, "?status=open") == {number[k] for k in ("late", "soon", "paused",
                                                                   "follow")}
    assert _shown(client, "?sla=overdue") == {number["late"]}
    assert _shown(client, "?sla=due_soon") == {number["soon"]}
    assert _shown(client, "?sla=paused&status=open") == {number["paused"]}
    page = client.get(LIST + "?status=open").get_data(as_text=True)
    assert page.count("data-follow-up-overdue") == 1
    assert page.count('data-sla-state="paused"') == 1


def test_export_is_scoped_and_masked(client, team, records, customer):
    """The export holds the user's records with the phone masked."""
    client.login("cs2")  # handles only the second record
    rows = sheet(client.get(LIST + "export.xlsx"))
    assert [row[0] for row in rows[1:]] == [records[1].number]
    assert rows[1][9] == "138****5678"


def test_the_list_does_not_query_per_row(app, client, team, monkeypatch):
    """50 records, each of its own customer, cost the same statements as 5."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 60)
    client.login("cs_mgr")
    with app.app_context():
        cs1 = db.session.get(User, team.cs1.id)

    def add(n: int) -> None:
        for customer_id in bulk.customers(app, bulk.salespeople(app, n)):
            make_service_record(app, cs1, _Customer(customer_id), handler_id=cs1.id)

    page = assert_flat(client, LIST, add)
    assert page.count("data-record=") == 50


class _Customer:
    """A customer by id, as the factory takes it."""

    def __init__(self, customer_id: int):
        self.id = customer_id
