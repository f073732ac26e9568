"""A payment or ledger row dated before its contract's signing is not silently accepted: the
form answers with a warning naming both dates and records it only once the user confirms
(仍然登记), noted in the audit. Payment methods are stored as codes and shown in the user's
language; an import that gives the Chinese label reads as the code."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Payment, SalesEntry
from app.models.sales.ledger import PaymentMethod
from app.services.imports.fields import choice_table, lookup
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.sales import make_contract, make_payment, term_ids
from tests.support import today


@pytest.fixture
def contract(app, seller):
    """Signed ten days ago."""
    return make_contract(app, make_customer(app, seller, name="日期测试有限公司"),
                         sign_date=today(app) - timedelta(days=10))


def _pay(client, app, contract, day, **extra):
    return client.post_form(f"/sales/contracts/{contract.id}/payments", {
        "term": term_ids(app, contract)[0], "paid_on": day.isoformat(), "amount": "10.00",
        "method": "cash", **extra})


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_payment_before_the_signing_asks_for_confirmation(app, client, contract):
    """Without confirmation: 422, a warning naming the payment date and the sign date, the
    仍然登记 button, nothing stored. Confirmed: stored, the audit notes the sign date."""
    early = today(app) - timedelta(days=400)
    signed = today(app) - timedelta(days=10)
    client.login("seller")
    response = _pay(client, app, contract, early)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="early-date"' in html
    assert early.isoformat() in html and signed.isoformat() in html and "仍然登记" in html
    assert _count(app, Payment) == 0
    assert _pay(client, app, contract, early, confirm_early="y").status_code == 303
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "payment_recorded"))
        assert json.loads(event.changes)["before_sign_date"] == signed.isoformat()


def test_a_payment_on_or_after_the_signing_needs_no_confirmation(app, client, contract):
    """The sign date itself is accepted at once."""
    client.login("seller")
    assert _pay(client, app, contract, today(app) - timedelta(days=10)).status_code == 303


def test_a_ledger_row_before_the_signing_asks_for_confirmation(app, client, contract):
    """The same warning and confirmation for a ledger row under the contract."""
    early = today(app) - timedelta(days=30)
    row = {"entry_date": early.isoformat(), "kind": "sale", "contract_id": contract.id,
           "product": "服务器", "quantity": "1", "unit_price": "10.00"}
    client.login("seller")
    response = client.post_form("/sales/ledger/new", row)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="early-date"' in html and early.isoformat() in html
    assert _count(app, SalesEntry) == 0
    assert client.post_form("/sales/ledger/new", {**row, "confirm_early": "y"}).status_code == 303
    assert _count(app, SalesEntry) == 1


def test_the_method_is_stored_as_a_code_and_shown_as_its_label(app, client, contract):
    """The form stores the code; the page shows the Chinese label."""
    client.login("seller")
    _pay(client, app, contract, today(app), method="acceptance_bill")
    with app.app_context():
        assert db.session.scalar(select(Payment.method)) == PaymentMethod.ACCEPTANCE_BILL
    page = client.get(f"/sales/contracts/{contract.id}/payments").get_data(as_text=True)
    assert "银行承兑汇票" in page


def test_an_english_user_sees_the_method_in_english(app, client):
    """The same stored code reads in English for a user who prefers English."""
    person = make_people(app, "seller", seller={"locale": "en"})["seller"]
    contract = make_contract(app, make_customer(app, person))
    payment = make_payment(app, contract, "10.00")
    with app.app_context():
        db.session.get(Payment, payment.id).method = PaymentMethod.BANK_TRANSFER
        db.session.commit()
    client.login("seller")
    page = client.get(f"/sales/contracts/{contract.id}/payments").get_data(as_text=True)
    assert "Bank transfer" in page and "银行转账" not in page


@pytest.mark.parametrize(("written", "expected"), [
    ("银行转账", PaymentMethod.BANK_TRANSFER), ("bank_transfer", PaymentMethod.BANK_TRANSFER),
    ("电汇", PaymentMethod.BANK_TRANSFER), ("银行承兑汇票", PaymentMethod.ACCEPTANCE_BILL),
    ("承兑汇票", PaymentMethod.ACCEPTANCE_BILL), ("支票", PaymentMethod.CHECK),
    ("现金", PaymentMethod.CASH)])
def test_imports_read_labels_and_common_names_as_codes(app, written, expected):
    """A sheet that gives the Chinese label (or a common other name) reads as the code (the
    synonyms are registered with the sales importers, services/sales/imports/ledger_fields)."""
    with app.test_request_context():
        value, problem = lookup(choice_table(PaymentMethod), PaymentMethod, written, "付款方式")
    assert (value, problem) == (expected, None)


def test_the_migration_maps_every_stored_spelling_to_a_code():
    """The data migration knows the first codes and the labels the demo stored."""
    from importlib import import_module

    migration = import_module("migrations.versions.0012_reversals_and_payment_methods")
    spelled = {word: code for code, words in migration.METHODS.items() for word in words}
    assert spelled["银行转账"] == spelled["transfer"] == PaymentMethod.BANK_TRANSFER.value
    assert spelled["cheque"] == PaymentMethod.CHECK.value
    assert spelled["bill"] == PaymentMethod.ACCEPTANCE_BILL.value
    assert set(migration.CODES) == {m.value for m in PaymentMethod}
