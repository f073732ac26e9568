"""The sales ledger list: the user's scope only, filters by date range, customer, kind and (for
managers) salesperson, keyset pagination, sums of the filtered rows in exact Decimals."""

import re
from datetime import timedelta

from app.extensions import db
from app.models import EntryKind, User
from tests.factories.customers import make_customer
from tests.factories.sales import make_contract, make_entry
from tests.queries import counted
from tests.support import today

_IDS = re.compile(r'<tr id="entry-(\d+)"')


def _ids(client, url) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [int(i) for i in _IDS.findall(response.get_data(as_text=True))]


def test_staff_see_their_rows_and_managers_their_department(app, client, people):
    """A salesperson lists their own customers' rows only; the manager lists both."""
    mine = make_entry(app, make_contract(app, make_customer(app, people["seller"])))
    theirs = make_entry(app, make_contract(app, make_customer(app, people["other"])))
    client.login("seller")
    assert _ids(client, "/sales/ledger/") == [mine.id]
    assert _ids(client, f"/sales/ledger/?owner={people['other'].id}") == [mine.id]
    client.login("boss")
    assert sorted(_ids(client, "/sales/ledger/")) == [mine.id, theirs.id]
    assert _ids(client, f"/sales/ledger/?owner={people['other'].id}") == [theirs.id]


def test_filters_by_date_range_customer_kind_and_search(app, client, people):
    """Each filter narrows the list; an invalid filter value is ignored, not an error."""
    day = today(app)
    first = make_customer(app, people["seller"], name="华信科技有限公司")
    second = make_customer(app, people["seller"], name="恒达机械有限公司")
    old = make_entry(app, make_contract(app, first), entry_date=day - timedelta(days=60))
    new = make_entry(app, make_contract(app, second), entry_date=day, product="交换机")
    back = make_entry(app, make_contract(app, second), kind=EntryKind.RETURN, entry_date=day)
    client.login("seller")
    since = (day - timedelta(days=30)).isoformat()
    assert sorted(_ids(client, f"/sales/ledger/?date_from={since}")) == [new.id, back.id]
    assert _ids(client, f"/sales/ledger/?date_to={since}") == [old.id]
    assert _ids(client, f"/sales/ledger/?customer={first.id}") == [old.id]
    assert _ids(client, "/sales/ledger/?kind=return") == [back.id]
    assert _ids(client, "/sales/ledger/?q=交换") == [new.id]
    assert sorted(_ids(client, "/sales/ledger/?q=恒达")) == [new.id, back.id]
    assert len(_ids(client, "/sales/ledger/?date_from=not-a-date&kind=nonsense")) == 3


def test_newest_first_with_keyset_pages(app, client, people):
    """25 rows: a first page of 20 newest, a next page of the 5 oldest, and back again."""
    contract = make_contract(app, make_customer(app, people["seller"]))
    day = today(app)
    rows = [make_entry(app, contract, entry_date=day - timedelta(days=i)) for i in range(25)]
    client.login("seller")
    html = client.get("/sales/ledger/").get_data(as_text=True)
    first = [int(i) for i in _IDS.findall(html)]
    assert first == [r.id for r in rows[:20]]
    after = re.search(r'href="([^"]*after=[^"]*)"', html).group(1).replace("&amp;", "&")
    page2 = client.get(after).get_data(as_text=True)
    assert [int(i) for i in _IDS.findall(page2)] == [r.id for r in rows[20:]]
    before = re.search(r'href="([^"]*before=[^"]*)"', page2).group(1).replace("&amp;", "&")
    assert _ids(client, before) == first
    assert _ids(client, "/sales/ledger/?dir=asc")[:2] == [rows[24].id, rows[23].id]


def test_the_sums_are_exact_and_net_of_returns_and_allowances(app, client, people):
    """销售额 0.10 + 0.20, 退回 0.05, 折让 0.01: net exactly ¥0.24."""
    contract = make_contract(app, make_customer(app, people["seller"]))
    make_entry(app, contract, unit_price="0.10")
    make_entry(app, contract, unit_price="0.20")
    make_entry(app, contract, unit_price="0.05", kind=EntryKind.RETURN)
    make_entry(app, contract, unit_price="0.01", kind=EntryKind.ALLOWANCE)
    client.login("seller")
    html = client.get("/sales/ledger/").get_data(as_text=True)
    assert 'id="net-sum">¥0.24<' in html and "¥0.30" in html


def test_an_htmx_search_answers_with_the_results_fragment(app, client, people):
    """Active search swaps only #results."""
    make_entry(app, make_contract(app, make_customer(app, people["seller"])))
    client.login("seller")
    html = client.htmx("GET", "/sales/ledger/?q=服务").get_data(as_text=True)
    assert html.lstrip().startswith('<div id="results">') and "<html" not in html


def _whole_scope_reads(client, url: str) -> int:
    """Statements of one GET that read the whole scope: the sums and the salespeople."""
    with counted() as counter:
        assert client.get(url).status_code == 200
    return sum("sum(CASE" in s or "DISTINCT sales_entries.owner_id" in s
               for s in counter.statements)


def test_the_sums_and_salespeople_are_kept_until_the_ledger_changes(app, client, people):
    """Rule: the totals and the owner filter's people, read from every row of the scope, are
    kept (services.core.data_versions) and not read again until a ledger row is written; the
    next visit then shows the change. What the ledger's version does not follow is read on
    every visit: the owners' names, and the sums of a search (it matches customers' names)."""
    contract = make_contract(app, make_customer(app, people["seller"]))
    make_entry(app, contract, unit_price="0.10")
    client.login("boss")
    assert _whole_scope_reads(client, "/sales/ledger/") == 2
    assert _whole_scope_reads(client, "/sales/ledger/") == 0
    with counted() as counter:
        client.get("/sales/ledger/")
    assert sum("data_versions" in s for s in counter.statements) == 1  # once for both
    make_entry(app, contract, unit_price="0.20")
    html = client.get("/sales/ledger/").get_data(as_text=True)
    assert 'id="net-sum">¥0.30<' in html
    with app.app_context():
        db.session.get(User, people["seller"].id).full_name = "李明远"
        db.session.commit()
    assert "李明远" in client.get("/sales/ledger/").get_data(as_text=True)
    assert _whole_scope_reads(client, "/sales/ledger/?q=服务") == 1  # the sums, again
    assert _whole_scope_reads(client, "/sales/ledger/?q=服务") == 1
