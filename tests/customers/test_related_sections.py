"""A customer's page shows what the sales department keeps about it — its contracts, what it
owes and how much of that is overdue, its visits — each as the viewer's own sales lists would
show it (a contract the viewer may not see is neither listed nor counted), loaded by the service
in the same statements however many rows there are."""

import re
from datetime import timedelta

import pytest

from app.models import Level
from tests.factories import bulk
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.sales import make_contract, make_plan, make_report
from tests.queries import assert_flat
from tests.support import today


@pytest.fixture
def people(app):
    return make_people(app, "sales1", "sales_mgr", "gm", "cs1")


@pytest.fixture
def customer(app, people):
    return make_customer(app, people["sales1"], name="关联客户有限公司")


def _section(html: str, key: str) -> str:
    found = re.search(rf'<section[^>]*id="{key}".*?</section>', html, re.S)
    assert found, f"no section {key}"
    return found.group(0)


def _page(client, customer) -> str:
    response = client.get(f"/customers/{customer.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_contracts_section_lists_and_counts_only_contracts_the_viewer_may_see(
        client, app, customer):
    seen = make_contract(app, customer, name="看得见的合同")
    hidden = make_contract(app, customer, name="机密合同", level=Level.SECRET)
    client.login("sales1")  # cleared for 内部 only
    section = _section(_page(client, customer), "customer-contracts")
    assert f'href="/sales/contracts/{seen.id}"' in section and "看得见的合同" in section
    assert hidden.number not in section and "机密合同" not in section
    assert 'data-total="1"' in section
    client.login("sales_mgr")  # cleared for 秘密: sees both, as on the contract list
    section = _section(_page(client, customer), "customer-contracts")
    assert hidden.number in section and 'data-total="2"' in section


def test_the_receivables_section_shows_what_is_owed_and_overdue(client, app, customer):
    make_contract(app, customer, terms=(("advance", "1000.00", -40), ("acceptance", "500.00", 10)))
    make_contract(app, customer, terms=(("advance", "800.00", -5),), level=Level.SECRET)
    client.login("sales1")
    section = _section(_page(client, customer), "customer-receivables")
    assert re.search(r'id="customer-owed">¥1,500\.00<', section)
    assert re.search(r'id="customer-overdue">¥1,000\.00<', section)
    assert "逾期 40 天" in section and "800.00" not in section
    assert f'href="/sales/receivables/?customer={customer.id}"' in section


def test_nothing_owed_says_so(client, app, customer):
    client.login("sales1")
    section = _section(_page(client, customer), "customer-receivables")
    assert "没有未收款项。" in section and 'id="customer-owed">¥0.00<' in section


def test_the_visits_section_shows_open_plans_overdue_flagged_and_reports(client, app, customer):
    late = make_plan(app, customer, today(app) - timedelta(days=3), purpose="逾期的拜访")
    make_report(app, customer, purpose="已完成的回访")
    client.login("sales1")
    section = _section(_page(client, customer), "customer-visits")
    assert f'data-plan="{late.id}"' in section and "逾期未拜访" in section
    assert "已完成的回访" in section and 'data-plan-total="1"' in section
    assert f'href="/sales/visits/customers/{customer.id}"' in section


def test_a_viewer_with_the_basic_card_only_sees_no_sales_sections(client, app, customer):
    make_contract(app, customer, name="看得见的合同")
    client.login("cs1")
    html = _page(client, customer)
    assert 'id="basic-card"' in html
    assert "customer-contracts" not in html and "看得见的合同" not in html


def test_the_page_costs_the_same_statements_for_one_related_row_as_for_many(
        client, app, customer):
    def add_rows(n):
        contract_ids = bulk.contracts(app, [customer.id] * n)
        bulk.payments(app, contract_ids[0], 1)
        bulk.visits(app, [customer.id] * n, today(app))

    client.login("sales_mgr")
    html = assert_flat(client, f"/customers/{customer.id}", add_rows, few=1, many=6)
    assert len(re.findall(r"data-contract=", _section(html, "customer-contracts"))) == 5
