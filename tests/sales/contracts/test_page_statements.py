"""A contract's page and its payments page read the contract once, with what they show of it
(policy.load takes the page's loader options): no second SELECT of the contract row."""

import re

from app.models import ContractStatus
from tests.factories import bulk
from tests.factories.people import make_people
from tests.queries import counted


def _page(client, url: str) -> list[str]:
    """The statements of one GET of `url` (after a first one, as tests.queries does)."""
    assert client.get(url).status_code == 200
    with counted() as counter:
        assert client.get(url).status_code == 200
    return [" ".join(s.split()) for s in counter.statements]


def _contract_reads(statements: list[str]) -> int:
    return sum(1 for s in statements if re.search(r"\bFROM contracts\b", s)
               and s.startswith("SELECT contracts.id"))


def _contract(app, client, status=ContractStatus.ACTIVE) -> int:
    make_people(app, "sales_mgr")
    client.login("sales_mgr")
    return bulk.contracts(app, bulk.customers(app, bulk.salespeople(app, 1)), status=status)[0]


def test_the_contract_page_reads_the_contract_once(app, client):
    """One SELECT of the contract (with its customer and people), one each for its lines and
    terms, then the review panel (versions, changes, pending requests) and the archive's 档号
    of the contract (record marks): eight statements with the session's, for a contract never
    signed. The balance reads the terms' kept paid_total, not the payments again."""
    statements = _page(client, f"/sales/contracts/{_contract(app, client)}")
    assert _contract_reads(statements) == 1
    assert len(statements) == 8, "\n".join(statements)


def test_a_draft_contract_page_adds_only_the_last_rejection(app, client):
    """A draft's page also looks for the review that sent it back: one statement more."""
    statements = _page(client, f"/sales/contracts/{_contract(app, client, ContractStatus.DRAFT)}")
    assert _contract_reads(statements) == 1
    assert len(statements) == 9, "\n".join(statements)


def test_the_payments_page_reads_the_contract_once(app, client):
    """The payments page reads the contract with what it shows once too."""
    statements = _page(client, f"/sales/contracts/{_contract(app, client)}/payments")
    assert _contract_reads(statements) == 1
