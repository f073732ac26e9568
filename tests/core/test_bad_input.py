"""What the security campaign found: a paging cursor holding a JSON dict or list, and an id
beyond the database's integer range, answered 500. Each is answered with a clear Chinese
refusal (400, or an error on the form's field) and nothing is written."""

import base64
import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ApprovalStep, Contract, VisitPlan
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.sales import make_contract, payload

HUGE = str(2**70)  # beyond SQLite's and PostgreSQL's 64-bit integers
BEYOND_INTEGER = str(2**31)  # beyond the 32-bit INTEGER primary keys, within 64 bits


def _cursor(value) -> str:
    raw = json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("url, persona", [
    ("/customers/", "sales1"), ("/sales/contracts/", "sales1"), ("/sales/visits/", "sales1"),
    ("/audit/", "auditor")])
@pytest.mark.parametrize("value", [{"a": 1}, [1, 2, 3], [{"a": 1}, 5], [[1], 5], [1, {"id": 2}]])
def test_a_cursor_holding_a_json_dict_or_list_is_a_400_in_chinese(client, app, url, persona,
                                                                   value):
    make_people(app, persona)
    client.login(persona)
    for name in ("after", "before"):
        response = client.get(f"{url}?{name}={_cursor(value)}")
        assert response.status_code == 400, (name, response.status_code)
        assert "翻页链接无效" in response.get_data(as_text=True)


@pytest.mark.parametrize("owner", [HUGE, BEYOND_INTEGER, "-" + HUGE])
def test_an_owner_filter_beyond_the_id_range_is_ignored_on_the_contract_list(client, app, owner):
    people = make_people(app, "sales_mgr", "sales1")
    contract = make_contract(app, make_customer(app, people["sales1"]))
    client.login("sales_mgr")
    response = client.get(f"/sales/contracts/?owner={owner}")
    assert response.status_code == 200
    assert contract.number in response.get_data(as_text=True)


@pytest.mark.parametrize("customer_id", [HUGE, BEYOND_INTEGER])
def test_a_contract_form_naming_a_customer_beyond_the_id_range_is_refused_on_the_field(
        client, app, customer_id):
    make_people(app, "sales1")
    client.login("sales1")
    response = client.post_form("/sales/contracts/new", payload(customer_id))
    assert response.status_code == 422
    assert "请选择客户" in response.get_data(as_text=True)
    assert _count(app, Contract) == 0
    linked = client.get(f"/sales/contracts/new?customer_id={customer_id}")
    assert linked.status_code == 400
    assert "customer_id" in linked.get_data(as_text=True)


@pytest.mark.parametrize("customer", [HUGE, BEYOND_INTEGER])
def test_a_visit_plan_naming_a_customer_beyond_the_id_range_is_refused_on_the_field(
        client, app, customer):
    make_people(app, "sales1")
    client.login("sales1")
    response = client.post_form("/sales/visits/plans/new", {
        "customer": customer, "planned_date": "2999-01-01", "purpose": "介绍新产品"})
    assert response.status_code == 422
    assert "请选择客户" in response.get_data(as_text=True)
    assert _count(app, VisitPlan) == 0


@pytest.mark.parametrize("path", ["/customers/{}", "/sales/contracts/{}/edit",
                                  "/sales/visits/plans/{}"])
def test_an_id_in_the_path_beyond_the_id_range_is_not_found(client, app, path):
    make_people(app, "sales1")
    client.login("sales1")
    for value in (HUGE, BEYOND_INTEGER):
        assert client.get(path.format(value)).status_code == 404


# What the fuzz test (test_no_500_fuzz.py) found besides, each held here by name.

def test_a_search_for_a_word_longer_than_postgresqls_limit_is_answered(client, app):
    make_people(app, "sales1")
    client.login("sales1")
    for url in ("/customers/", "/sales/contracts/", "/sales/ledger/", "/sales/referrals/"):
        for q in ("x" * 5000, "中" * 3000):
            assert client.get(url, query_string={"q": q}).status_code == 200, (url, len(q))


@pytest.mark.parametrize("url, persona", [
    ("/sales/visits/week?week=9999-12-31", "sales1"),
    ("/sales/visits/daily?date=0001-01-01", "sales1"),
    ("/sales/visits/daily/export.xlsx?date=9999-12-31", "sales1"),
    ("/audit/?date_to=9999-12-31", "auditor"), ("/audit/?date_from=0001-01-01", "auditor")])
def test_a_date_at_the_end_of_the_calendar_is_a_field_error_not_an_overflow(client, app, url,
                                                                            persona):
    make_people(app, persona)
    client.login(persona)
    assert client.get(url).status_code == 200  # the filter is ignored, like any invalid one


def test_a_flow_with_an_amount_threshold_opens_for_editing(client, app):
    make_people(app, "admin")
    client.login("admin")
    with app.app_context():
        flows = set(db.session.scalars(select(ApprovalStep.flow_id).where(
            ApprovalStep.threshold.is_not(None))))
    assert flows
    for flow in flows:
        assert client.get(f"/admin/flows/{flow}/edit").status_code == 200, flow


def test_an_amount_with_more_digits_than_decimals_hold_is_refused_in_chinese(client, app):
    make_people(app, "sales1")
    client.login("sales1")
    response = client.post_form("/sales/ledger/new", {
        "entry_date": "2026-03-02", "kind": "sale", "product": "服务器", "quantity": "1",
        "unit_price": "123456789012345678901234567890.123"})
    assert response.status_code == 422
    # The message names the field and the limit (issue 10, requirement 4).
    assert "单价超过上限 999,999,999,999.99。" in response.get_data(as_text=True)
