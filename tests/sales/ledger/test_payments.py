"""Payments (回款) against a contract's payment terms: what each term still owes is computed,
never typed; a payment above the outstanding amount, at or below zero, in the future or on a
contract not in force is refused; every payment is audited."""

import json
from datetime import date, timedelta

import pytest
from flask import render_template_string
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Contract, ContractStatus, Level, Payment, Role
from app.services.sales.ledger import payments
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.factories.sales import make_contract, make_payment, term_ids
from tests.support import D, today


@pytest.fixture
def contract(app, seller):
    customer = make_customer(app, seller, name="回款测试有限公司")
    return make_contract(app, customer, terms=(("advance", "300.10", -5),
                                               ("acceptance", "600.00", 10),
                                               ("retention", "100.00", 0)))


def _post(client, contract, **values):
    data = {"term": "", "paid_on": today(client.application).isoformat(), "amount": "",
            "method": "bank_transfer", "reference": "", "note": ""}
    data.update(values)
    return client.post_form(f"/sales/contracts/{contract.id}/payments", data)


def test_balance_is_computed_per_term_in_exact_decimals(app, contract):
    """Paid = sum of the term's payments, outstanding = amount − paid, to the fen, no floats;
    a term past its due date with something outstanding is overdue by whole days."""
    make_payment(app, contract, "0.10")
    make_payment(app, contract, "0.20")
    with app.app_context():
        balance = payments.contract_balance(db.session.get(Contract, contract.id))
    advance, retention, acceptance = balance.terms
    assert (advance.paid, advance.outstanding, advance.overdue_days) == (D("0.30"), D("299.80"), 5)
    assert (retention.overdue_days, acceptance.overdue_days) == (0, 0)  # due today; not yet due
    assert (balance.amount, balance.paid, balance.outstanding) == (D("1000.10"), D("0.30"),
                                                                   D("999.80"))
    assert balance.overdue == D("299.80")


@pytest.mark.parametrize(("days_past", "outstanding", "expected"), [
    (-1, "1.00", 0), (0, "1.00", 0), (1, "1.00", 1), (30, "1.00", 30), (31, "0.01", 31),
    (400, "0.00", 0)])
def test_overdue_days_at_day_boundaries(days_past, outstanding, expected):
    """Overdue starts the day after the due date, and only while something is outstanding."""
    day = date(2026, 3, 31)
    due = day - timedelta(days=days_past)
    assert payments.overdue_days(due, D(outstanding), day) == expected


def test_recording_a_payment_lowers_the_outstanding_amount_and_is_audited(app, client,
                                                                            contract):
    """A valid payment is stored in the contract's scope, audited, and the page shows the new
    outstanding amount."""
    client.login("seller")
    advance = term_ids(app, contract)[0]
    response = _post(client, contract, term=advance, amount="￥100.10",
                     reference="BANK-001")
    assert response.status_code == 303
    with app.app_context():
        payment = db.session.scalar(select(Payment))
        assert (payment.amount, payment.term_id, payment.owner_id) == (
            D("100.10"), advance, contract.owner_id)
        assert payment.confidentiality == contract.confidentiality
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "payment_recorded"))
        assert json.loads(event.changes)["amount"] == [None, "100.10"]
    page = client.get(f"/sales/contracts/{contract.id}/payments").get_data(as_text=True)
    assert 'data-outstanding="200.00"' in page and "BANK-001" in page


def test_a_payment_of_exactly_the_outstanding_amount_is_accepted(app, client, contract):
    """The whole outstanding amount may be paid at once (the limit is inclusive)."""
    make_payment(app, contract, "0.10")
    client.login("seller")
    response = _post(client, contract, term=term_ids(app, contract)[0], amount="300.00")
    assert response.status_code == 303


def test_a_payment_above_the_outstanding_amount_is_refused_with_a_clear_message(app, client,
                                                                                 contract):
    """One fen more than the term still owes is refused (422, the form kept, nothing stored)."""
    make_payment(app, contract, "100.00")
    client.login("seller")
    response = _post(client, contract, term=term_ids(app, contract)[0], amount="200.11")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "超过该条款" in html and "¥200.10" in html and 'value="200.11"' in html
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Payment)) == 1


@pytest.mark.parametrize(("amount", "message"), [
    ("0", "回款金额须大于零"), ("-5", "回款金额须大于零"), ("0.001", "最多保留 2 位小数"),
    ("abc", "请填写数字"), ("", "请填写回款金额")])
def test_zero_negative_sub_fen_and_non_numeric_amounts_are_refused(app, client, contract,
                                                                  amount, message):
    """An amount must be a number above zero, to the fen."""
    client.login("seller")
    response = _post(client, contract, term=term_ids(app, contract)[0], amount=amount)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_a_future_date_and_another_contracts_term_are_refused(app, client, seller, contract):
    """A payment is not received tomorrow, nor against a term of some other contract."""
    other = make_contract(app, make_customer(app, seller))
    client.login("seller")
    tomorrow = (today(app) + timedelta(days=1)).isoformat()
    late = _post(client, contract, term=term_ids(app, contract)[0], amount="1", paid_on=tomorrow)
    assert late.status_code == 422 and "不能晚于今天" in late.get_data(as_text=True)
    foreign = _post(client, contract, term=term_ids(app, other)[0], amount="1")
    assert foreign.status_code == 422 and "本合同的一项付款条款" in foreign.get_data(as_text=True)


def test_a_contract_not_in_force_takes_no_payment(app, client, seller):
    """A draft or a contract under review has no payment form, and a posted payment is refused."""
    draft = make_contract(app, make_customer(app, seller), status=ContractStatus.SUBMITTED)
    client.login("seller")
    page = client.get(f"/sales/contracts/{draft.id}/payments").get_data(as_text=True)
    assert 'id="payment-form"' not in page and "合同生效" in page
    response = _post(client, draft, term=term_ids(app, draft)[0], amount="1")
    assert response.status_code == 422 and "合同尚未生效" in response.get_data(as_text=True)


def test_the_gm_reads_payments_but_does_not_record_them(app, client, contract):
    """The GM sees the page without a form; posting a payment is 403."""
    make_user(app, "boss", role=Role.GM, clearance=Level.CONFIDENTIAL)
    client.login("boss")
    page = client.get(f"/sales/contracts/{contract.id}/payments")
    assert page.status_code == 200 and 'id="payment-form"' not in page.get_data(as_text=True)
    assert _post(client, contract, term=term_ids(app, contract)[0],
                 amount="1").status_code == 403


def test_an_htmx_refusal_answers_with_the_payments_fragment(app, client, contract):
    """An htmx post that is refused swaps only the payments block (422), not the whole page."""
    client.login("seller")
    token = client.csrf_token(f"/sales/contracts/{contract.id}/payments")
    response = client.htmx("POST", f"/sales/contracts/{contract.id}/payments", data={
        "csrf_token": token, "term": term_ids(app, contract)[0], "amount": "999999",
        "paid_on": today(app).isoformat(), "method": "bank_transfer"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and html.lstrip().startswith('<div id="payments"')
    assert "<html" not in html


def test_the_summary_template_shows_terms_totals_and_the_payments_link(app, contract):
    """sales/payment/_summary.html, included with `contract` and its `balance` (loaded by the
    view: templates never query), renders each term's amount, paid, outstanding, due date and
    overdue days, the totals and the link to the payments page."""
    make_payment(app, contract, "300.10")
    with app.test_request_context():
        found = db.session.get(Contract, contract.id)
        html = render_template_string('{% include "sales/payment/_summary.html" %}',
                                      contract=found, balance=payments.contract_balance(found))
    assert f'href="/sales/contracts/{contract.id}/payments"' in html
    assert 'id="summary-paid">¥300.10<' in html and 'id="summary-outstanding">¥700.00<' in html
    assert "已收清" in html and "text-bg-danger" not in html


def test_a_settled_term_takes_no_more_payments(app, client, contract):
    """Once a term is paid in full, any further payment on it is refused as 已收清."""
    make_payment(app, contract, "300.10")
    client.login("seller")
    response = _post(client, contract, term=term_ids(app, contract)[0], amount="0.01")
    assert response.status_code == 422 and "已收清" in response.get_data(as_text=True)
