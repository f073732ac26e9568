"""The contract picker and the choices the sales forms receive (issue 10, requirement 7), and
messages that name the real problem on contract lines, terms and amounts (requirement 4)."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Contract, ContractStatus, Level, VisitPlan
from app.services.sales.ledger.lists import contract_choice
from tests.factories.customers import make_customer
from tests.factories.people import make_people, make_user
from tests.factories.sales import make_contract, payload
from tests.support import in_app


@pytest.fixture
def people(app):
    return make_people(app, "sales1", "sales2", "sales_mgr")


@pytest.fixture
def huaxin(app, people):
    return make_customer(app, people["sales1"], name="华信科技有限公司")


def _contracts(client, q: str, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"q": q, "field": "contract_id", **params}.items())
    response = client.htmx("GET", f"/sales/contracts/pick?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("q", ["服务", "运维服务", "hxkj", "华信", "HT-20"])
def test_a_contract_is_found_by_its_own_or_its_customers_name_initials_or_number(
        client, app, huaxin, q):
    contract = make_contract(app, huaxin, name="运维服务合同")
    client.login("sales1")
    html = _contracts(client, q)
    assert f'data-value="{contract.id}"' in html
    assert f"{contract.number} · 华信科技有限公司 · 运维服务合同" in html


def test_the_contract_picker_offers_only_contracts_in_scope_and_in_force_when_asked(
        client, app, people, huaxin):
    """A colleague's contract and one above clearance are never offered; status=effective (the
    ledger form) leaves out drafts."""
    mine = make_contract(app, huaxin, name="华信生效合同")
    draft = make_contract(app, huaxin, status=ContractStatus.DRAFT, name="华信草稿合同")
    theirs = make_contract(app, make_customer(app, people["sales2"], name="华信他人有限公司"))
    top = make_user(app, "top", clearance=Level.CONFIDENTIAL)
    secret = make_contract(app, make_customer(app, top, name="华信机密有限公司",
                                              confidentiality=Level.SECRET))
    client.login("sales1")
    every = _contracts(client, "华信")
    assert mine.number in every and draft.number in every
    assert theirs.number not in every and secret.number not in every
    effective = _contracts(client, "华信", status="effective")
    assert mine.number in effective and draft.number not in effective


def test_a_customer_typed_by_number_without_the_picker_script_is_accepted(client, app, huaxin):
    """Without JavaScript the text input carries the field: its number (alone or in the label)
    registers the contract for that customer."""
    client.login("sales1")
    form = payload(f"华信科技有限公司（{huaxin.number}）")
    response = client.post_form("/sales/contracts/new", form)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Contract.customer_id)) == huaxin.id


def test_a_chosen_id_outside_the_users_scope_is_refused(client, app, people):
    """The server checks the choice: a colleague's customer, by id or by number, is refused as
    before, and nothing is saved."""
    theirs = make_customer(app, people["sales2"], name="他人客户有限公司")
    client.login("sales1")
    for value in (str(theirs.id), theirs.number):
        response = client.post_form("/sales/contracts/new", payload(value))
        assert response.status_code == 422 and "请选择客户" in response.get_data(as_text=True)
        plan = {"customer": value, "planned_date": "2099-01-01", "purpose": "拜访"}
        assert client.post_form("/sales/visits/plans/new", plan).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Contract)) == 0
        assert db.session.scalar(select(db.func.count()).select_from(VisitPlan)) == 0


LINE = ("服务器", "X1", "台")


@pytest.mark.parametrize(("quantity", "price", "message"), [
    ("-1", "5", "数量须大于零。"),
    ("0", "5", "数量须大于零。"),
    ("1", "-5", "单价不能为负数。"),
    ("1", "1234567890123", "单价超过上限 999,999,999,999.99。"),
    ("1234567890", "1", "数量超过上限 999,999,999.999。"),
    ("999999999", "999999999", "金额（数量 × 单价）超过上限 999,999,999,999.99 元。"),
    ("abc", "1", "数量须为数字，最多三位小数。"),
    ("1", "1.234", "单价须为数字，最多两位小数。"),
])
def test_contract_lines_say_what_is_wrong(client, app, huaxin, quantity, price, message):
    client.login("sales1")
    response = client.post_form("/sales/contracts/new", payload(
        huaxin.id, lines=[(*LINE, quantity, price)], terms=[("advance", "5", "2026-03-01")]))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(("amount", "message"), [
    ("-3", "付款金额须大于零。"), ("0", "付款金额须大于零。"),
    ("1234567890123", "金额超过上限 999,999,999,999.99。"),
])
def test_payment_terms_say_what_is_wrong(client, app, huaxin, amount, message):
    client.login("sales1")
    response = client.post_form("/sales/contracts/new", payload(
        huaxin.id, lines=[(*LINE, "1", "5")], terms=[("advance", amount, "2026-03-01")]))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_a_ledger_row_whose_amount_exceeds_the_limit_says_so(client, app, huaxin):
    """数量 × 单价 beyond what an amount may hold: the limit is named (not a 500)."""
    contract = make_contract(app, huaxin)
    client.login("sales1")
    response = client.post_form("/sales/ledger/new", {
        "contract_id": str(contract.id), "entry_date": "2026-03-02", "kind": "sale",
        "product": "服务器", "quantity": "999999999", "unit_price": "999999999"})
    assert response.status_code == 422
    assert "金额（数量 × 单价）超过上限 999,999,999,999.99 元。" in response.get_data(as_text=True)


def test_the_ledger_form_loads_only_its_chosen_contract(client, app, people, huaxin):
    """The row form names the contract chosen (?contract= when first shown, the posted one when
    shown again) and loads no other: the picker searches the rest. A draft is never chosen."""
    chosen = make_contract(app, huaxin, name="华信选中合同")
    other = make_contract(app, huaxin, name="华信其他合同")
    draft = make_contract(app, huaxin, status=ContractStatus.DRAFT, name="华信草稿合同")
    with in_app(app):
        scoped = select(Contract)
        assert contract_choice(scoped, chosen.id) == [
            (chosen.id, f"{chosen.number} · 华信科技有限公司 · 华信选中合同")]
        assert contract_choice(scoped, draft.id) == contract_choice(scoped, None) == []
    client.login("sales1")
    page = client.get(f"/sales/ledger/new?contract={chosen.id}").get_data(as_text=True)
    assert f'value="{chosen.number} · 华信科技有限公司 · 华信选中合同"' in page
    assert other.number not in page
    shown_again = client.post_form("/sales/ledger/new", {
        "contract_id": str(other.id), "entry_date": "2026-03-02", "kind": "sale"})
    assert shown_again.status_code == 422
    html = shown_again.get_data(as_text=True)
    assert f'value="{other.number} · 华信科技有限公司 · 华信其他合同"' in html
    assert chosen.number not in html
