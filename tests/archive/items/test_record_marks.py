"""The 档号 shows on the filed record's own page (issue 13 req. 3): a filed contract's page
names its archive number, linked to the item, for a viewer whose catalogue shows the item;
a contract not filed shows none. The sales page learns it through services.core.record_marks,
without importing the archive."""

from tests.factories.archive import filed_contract
from tests.factories.sales import approved, make_contract


def test_a_filed_contracts_page_shows_its_archive_number(app, client, team):
    item = filed_contract(app, team)
    client.login("sales1")
    page = client.get(f"/sales/contracts/{item.record_id}").get_data(as_text=True)
    assert 'data-mark="archive-number"' in page and item.archive_number in page
    assert f'href="/archive/items/{item.id}"' in page


def test_a_contract_not_filed_shows_no_archive_number(app, client, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    client.login("sales1")
    page = client.get(f"/sales/contracts/{contract.id}").get_data(as_text=True)
    assert 'data-mark="archive-number"' not in page
