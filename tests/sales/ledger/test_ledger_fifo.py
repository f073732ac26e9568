"""已付货款 and 欠款 of a ledger row are computed, never typed: a contract's payments go to its
销售 rows in date order (first in, first out); 退回/折让 rows are credits."""

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import EntryKind, SalesEntry
from app.services.sales.ledger.operations import allocate
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.sales import make_contract, make_entry, make_payment
from tests.support import D, today

_ROW = re.compile(r'<tr id="entry-(\d+)" data-paid="([^"]*)" data-owed="([^"]*)">')


@pytest.fixture
def seller(app):
    """A salesperson who goes by their username."""
    return make_people(app, "seller")["seller"]


@pytest.fixture
def contract(app, seller):
    return make_contract(app, make_customer(app, seller), terms=(("advance", "1000.00", 0),))


def _shares(app, entries) -> list[tuple]:
    with app.app_context():
        rows = [db.session.get(SalesEntry, e.id) for e in entries]
        found = allocate(rows)
        return [(found[e.id].paid, found[e.id].owed) for e in entries]


def test_payments_fill_the_oldest_sales_first(app, contract):
    """250 paid against sales of 100, 200, 300 (dated in that order, entered in another):
    the first is paid, the second half paid, the third owes everything."""
    day = today(app)
    third = make_entry(app, contract, unit_price="300.00", entry_date=day)
    first = make_entry(app, contract, unit_price="100.00", entry_date=day - timedelta(days=9))
    second = make_entry(app, contract, unit_price="200.00", entry_date=day - timedelta(days=5))
    make_payment(app, contract, "150.00")
    make_payment(app, contract, "100.00")
    assert _shares(app, [first, second, third]) == [
        (D("100.00"), D("0.00")), (D("150.00"), D("50.00")), (D("0.00"), D("300.00"))]


def test_rows_of_the_same_day_are_filled_in_the_order_they_were_entered(app, contract):
    """Ties on the date go by entry order (the row id)."""
    a = make_entry(app, contract, unit_price="10.00")
    b = make_entry(app, contract, unit_price="10.00")
    make_payment(app, contract, "15.00")
    assert _shares(app, [a, b]) == [(D("10.00"), D("0.00")), (D("5.00"), D("5.00"))]


def test_a_payment_changes_what_the_rows_owe(app, contract):
    """Recording a payment moves the owed amounts at once (nothing is stored on the rows)."""
    row = make_entry(app, contract, unit_price="0.30")
    assert _shares(app, [row]) == [(D("0.00"), D("0.30"))]
    make_payment(app, contract, "0.10")
    make_payment(app, contract, "0.20")
    assert _shares(app, [row]) == [(D("0.30"), D("0.00"))]


def test_overpayment_is_not_shown_on_any_row(app, contract):
    """Payments beyond the sales (an advance) leave every row paid in full, none negative."""
    row = make_entry(app, contract, unit_price="100.00")
    make_payment(app, contract, "400.00")
    assert _shares(app, [row]) == [(D("100.00"), D("0.00"))]


def test_returns_and_allowances_are_credits_not_paid_rows(app, contract):
    """退回 and 折让 rows take no payment and show their amount as a negative owed amount;
    the sales rows are allocated as if they were not there."""
    sale = make_entry(app, contract, unit_price="100.00")
    back = make_entry(app, contract, unit_price="30.00", kind=EntryKind.RETURN)
    off = make_entry(app, contract, unit_price="5.50", kind=EntryKind.ALLOWANCE)
    make_payment(app, contract, "60.00")
    assert _shares(app, [sale, back, off]) == [(D("60.00"), D("40.00")), (None, D("-30.00")),
                                               (None, D("-5.50"))]


def test_each_contract_is_allocated_on_its_own(app, seller, contract):
    """One contract's payments never pay another contract's rows."""
    other = make_contract(app, make_customer(app, seller))
    mine = make_entry(app, contract, unit_price="100.00")
    theirs = make_entry(app, other, unit_price="100.00")
    make_payment(app, other, "100.00")
    assert _shares(app, [mine, theirs]) == [(D("0.00"), D("100.00")), (D("100.00"), D("0.00"))]


def test_a_filtered_page_still_allocates_over_all_of_the_contracts_rows(app, client, contract):
    """Filtering out the older row does not hand its payment to the newer one."""
    day = today(app)
    make_entry(app, contract, unit_price="100.00", entry_date=day - timedelta(days=40))
    newer = make_entry(app, contract, unit_price="100.00", entry_date=day)
    make_payment(app, contract, "100.00")
    client.login("seller")
    html = client.get(f"/sales/ledger/?date_from={day.isoformat()}").get_data(as_text=True)
    assert _ROW.findall(html) == [(str(newer.id), "0.00", "100.00")]
