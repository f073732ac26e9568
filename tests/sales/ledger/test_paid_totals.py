"""Each payment term keeps the sum of its payments (PaymentTerm.paid_total, read by the
receivables aging): derived, never typed. After every path that writes payments — the payments
service, a payment stored, changed, moved to another term or deleted through the ORM, a rolled
back payment, an ownership move — the stored value equals the sum of the payments."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Contract, Customer, Payment, PaymentTerm, Role, User
from app.policy import scope
from app.services.sales.ledger import payments, receivables
from app.services.sales.ledger.payments import PaymentData
from app.services.sales.scope import follow_owner
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.factories.sales import make_contract, make_payment
from tests.support import D, today


@pytest.fixture
def contract(app, seller):
    customer = make_customer(app, seller, name="回款汇总有限公司")
    return make_contract(app, customer, terms=(("advance", "300.10", -40),
                                               ("acceptance", "600.00", 10),
                                               ("retention", "100.00", 400)))


def _stored_equals_payments(app) -> dict[int, tuple]:
    """Asserts that every term's paid_total is the sum of its payments (both ways of asking);
    {term id: (paid_total, amount)}."""
    with app.app_context():
        db.session.expire_all()
        assert payments.paid_total_mismatches() == []
        sums = dict(db.session.execute(select(Payment.term_id, func.sum(Payment.amount))
                                       .group_by(Payment.term_id)).all())
        terms = db.session.scalars(select(PaymentTerm)).all()
        for term in terms:
            assert term.paid_total == sums.get(term.id, D("0.00")), term.id
        return {term.id: (term.paid_total, term.amount) for term in terms}


def _terms(app, contract) -> list[int]:
    with app.app_context():
        return [t.id for t in db.session.get(Contract, contract.id).terms]


def test_record_payment_keeps_the_terms_paid_total(app, contract, seller):
    """The payments service: each payment adds to its own term, in the same transaction, and the
    term loaded in the session reads the new total."""
    advance = _terms(app, contract)[0]
    with app.app_context():
        actor = db.session.get(User, seller.id)
        found = db.session.get(Contract, contract.id)
        for amount in ("100.05", "0.05"):
            payments.record_payment(found, PaymentData(advance, today(app), D(amount)), actor)
        assert db.session.get(PaymentTerm, advance).paid_total == D("100.10")
        db.session.commit()
    stored = _stored_equals_payments(app)
    assert stored[advance] == (D("100.10"), D("300.10"))


def test_a_rolled_back_payment_leaves_the_total_as_it_was(app, contract, seller):
    advance = _terms(app, contract)[0]
    make_payment(app, contract, "10.00")
    with app.app_context():
        found = db.session.get(Contract, contract.id)
        payments.record_payment(found, PaymentData(advance, today(app), D("20.00")),
                                db.session.get(User, seller.id))
        db.session.flush()
        db.session.rollback()
    assert _stored_equals_payments(app)[advance][0] == D("10.00")


def test_payments_stored_changed_moved_and_deleted_through_the_orm(app, contract):
    """A payment stored directly, its amount changed, moved to another term (both terms are
    recomputed), deleted: the totals follow each time."""
    advance, acceptance, retention = _terms(app, contract)  # in due-date order
    payment = make_payment(app, contract, "50.00")
    make_payment(app, contract, "25.00", term_index=2)
    assert _stored_equals_payments(app)[advance][0] == D("50.00")
    with app.app_context():
        db.session.get(Payment, payment.id).amount = D("60.01")
        db.session.commit()
    assert _stored_equals_payments(app)[advance][0] == D("60.01")
    with app.app_context():
        db.session.get(Payment, payment.id).term_id = acceptance
        db.session.commit()
    stored = _stored_equals_payments(app)
    assert (stored[advance][0], stored[acceptance][0]) == (D("0.00"), D("60.01"))
    with app.app_context():
        db.session.delete(db.session.get(Payment, payment.id))
        db.session.commit()
    stored = _stored_equals_payments(app)
    assert (stored[acceptance][0], stored[retention][0]) == (D("0.00"), D("25.00"))


def test_an_ownership_move_keeps_the_totals(app, contract, seller):
    """follow_owner moves the payments to the new owner (bulk UPDATE of owner and department):
    the amounts, so the totals, do not change and stay equal to the payments."""
    make_payment(app, contract, "100.00")
    make_payment(app, contract, "1.00", term_index=1)
    before = _stored_equals_payments(app)
    colleague = make_user(app, "colleague", full_name="王强")
    with app.app_context():
        moved = follow_owner([contract.customer_id], db.session.get(User, colleague.id))
        db.session.commit()
        assert moved["payments"] == 2
    assert _stored_equals_payments(app) == before


def test_the_aging_reads_the_stored_totals_exactly(app, contract, seller):
    """The aging of stored totals equals the one computed from the payments (amounts to the
    fen): a fully paid term drops out, partly paid terms owe the rest in their bucket."""
    make_payment(app, contract, "300.09")  # advance, 40 days late: 0.01 left, 31–90
    make_payment(app, contract, "100.00", term_index=2)  # retention paid in full, early
    _stored_equals_payments(app)
    gm = make_user(app, "boss", role=Role.GM)
    with app.app_context():
        scoped = scope(select(Contract), db.session.get(User, gm.id), Contract)
        result = receivables.aging(scoped, "customer", today=today(app))
        (row,) = result.page.rows
        assert row.key == db.session.get(Customer, contract.customer_id).id
        assert (row.not_due, row.d1_30, row.d31_90, row.d90_plus, row.total) == (
            D("600.00"), D("0.00"), D("0.01"), D("0.00"), D("600.01"))
        month = receivables.aging(scoped, "salesperson", today=today(app) + timedelta(days=30))
        (row,) = month.page.rows
        assert (row.key, row.label) == (seller.id, "李明")
        assert (row.not_due, row.d1_30, row.d31_90, row.d90_plus, row.total) == (
            D("0.00"), D("600.00"), D("0.01"), D("0.00"), D("600.01"))
        later = receivables.aging(scoped, "salesperson", today=today(app) + timedelta(days=60))
        (row,) = later.page.rows
        assert (row.not_due, row.d1_30, row.d31_90, row.d90_plus, row.total) == (
            D("0.00"), D("0.00"), D("600.00"), D("0.01"), D("600.01"))
        assert later.totals == {"not_due": D("0.00"), "d1_30": D("0.00"),
                                "d31_90": D("600.00"), "d90_plus": D("0.01"),
                                "total": D("600.01")}


def test_payments_verify_reports_a_wrong_total(app, contract):
    """`flask payments verify` passes on kept totals and names a term whose total was altered
    behind the code's back."""
    make_payment(app, contract, "10.00")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["payments", "verify"])
    assert result.exit_code == 0 and "all paid totals match" in result.output
    advance = _terms(app, contract)[0]
    with app.app_context():
        db.session.execute(update(PaymentTerm).where(PaymentTerm.id == advance)
                           .values(paid_total=D("9.99")))
        db.session.commit()
    result = runner.invoke(args=["payments", "verify"])
    assert result.exit_code == 1
    assert f"payment term #{advance}: paid_total 9.99 != payments 10.00" in result.output
