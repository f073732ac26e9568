"""The sales lists load what they show in a fixed number of statements: 50 rows, each with a
customer and a salesperson of its own, cost the same statements as 5 (the service loads the
page's customers, owners and contracts together; the template never queries)."""

import re

import pytest

from tests.factories import bulk
from tests.factories.people import make_people
from tests.queries import assert_flat
from tests.support import today


@pytest.fixture
def manager(app, client, monkeypatch):
    """The sales manager (sees the whole department), signed in; pages of 60 rows, so that all
    50 rows are on the page."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 60)
    user = make_people(app, "sales_mgr")["sales_mgr"]
    client.login("sales_mgr")
    return user


CUSTOMER = r"批量客户\d+有限公司"
CONTRACT = r"批量合同\d+"
NUMBER = r"HT\d{6}"
SALESPERSON = r"销售\d+号"


def _shown(page: str, pattern: str) -> int:
    return len(re.findall(pattern, page))


def _customers(app, n: int) -> list[int]:
    return bulk.customers(app, bulk.salespeople(app, n))


def _contracts(app, n: int) -> list[int]:
    return bulk.contracts(app, _customers(app, n))


def test_the_contract_list(app, client, manager):
    page = assert_flat(client, "/sales/contracts/", lambda n: _contracts(app, n))
    assert _shown(page, CONTRACT) == 50


@pytest.mark.parametrize("view", ["", "?kind=reports"])
def test_the_visit_list(app, client, manager, view):
    page = assert_flat(client, f"/sales/visits/{view}",
                       lambda n: bulk.visits(app, _customers(app, n), today(app)))
    assert _shown(page, CUSTOMER) == 50


@pytest.mark.parametrize(("url", "rows"), [("/sales/visits/week", 50),
                                           ("/sales/visits/daily", 100)])
def test_the_visit_week_and_day(app, client, manager, url, rows):
    """The day shows its reports and its plans not yet visited."""
    page = assert_flat(client, url, lambda n: bulk.visits(app, _customers(app, n), today(app)))
    assert _shown(page, CUSTOMER) == rows


def test_the_ledger(app, client, manager):
    page = assert_flat(client, "/sales/ledger/", lambda n: bulk.entries(app, _contracts(app, n)))
    assert _shown(page, NUMBER) == 50


@pytest.mark.parametrize(("view", "label"), [("", CUSTOMER), ("?view=owner", SALESPERSON)])
def test_the_receivables_aging(app, client, manager, view, label):
    page = assert_flat(client, f"/sales/receivables/{view}", lambda n: _contracts(app, n))
    assert _shown(page, label) == 50


def test_a_salespersons_open_terms(app, client, manager):
    owner = bulk.salespeople(app, 1)

    def add(n):
        bulk.contracts(app, bulk.customers(app, owner * n))

    page = assert_flat(client, f"/sales/receivables/?owner={owner[0].id}", add)
    assert _shown(page, NUMBER) == 50


def test_the_referrals(app, client, manager):
    page = assert_flat(client, "/sales/referrals/", lambda n: bulk.referrals(
        app, _customers(app, n)))
    assert (_shown(page, CUSTOMER), _shown(page, r"被介绍\d+")) == (50, 50)


def test_the_ownership_requests(app, client, manager):
    """Seen by the GM (others see only their own requests)."""
    make_people(app, "gm")
    client.login("gm")

    def add(n):
        bulk.ownership_requests(app, _customers(app, n), bulk.salespeople(app, n))

    page = assert_flat(client, "/sales/ownership/", add)
    assert _shown(page, CUSTOMER) == 50


def test_the_imports(app, client, manager):
    page = assert_flat(client, "/sales/imports/",
                       lambda n: bulk.import_batches(app, bulk.salespeople(app, n)))
    assert _shown(page, SALESPERSON) == 20  # the newest 20


def test_a_contracts_payment_history(app, client, manager):
    contract = _contracts(app, 1)[0]
    page = assert_flat(client, f"/sales/contracts/{contract}/payments",
                       lambda n: bulk.payments(app, contract, n))
    assert page.count("¥1.00") == 50
