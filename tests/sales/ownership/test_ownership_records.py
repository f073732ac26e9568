"""Staff see their own customers' sales records (issue req. 12): when a customer changes owner —
an approved transfer, the departure hand-over, an approved change request, the edit of a draft —
every sales record whose scope comes from it (contracts, payments, ledger rows, visit plans and
reports, referrals; history included) follows, and nothing else moves. The new owner must be
cleared for all of it. The request list loads its rows in a fixed number of statements."""

import itertools
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models import (
    ApprovalRequest,
    Contract,
    ContractStatus,
    Customer,
    Decision,
    Level,
    OwnershipRequest,
    Payment,
    Referral,
    SalesEntry,
    User,
    VisitPlan,
    VisitReport,
    VisitStatus,
)
from app.services.approvals import engine as approvals
from app.services.customers import operations as customers
from app.services.customers.review import propose_change
from app.services.sales.ownership import transfers as ownership
from app.services.sales.scope import inherit_scope
from tests.factories.approvals import activate, approval_of, sign
from tests.factories.customers import make_customer
from tests.factories.people import deactivate, make_people, make_user
from tests.factories.sales import make_contract, make_entry, make_payment, make_visit
from tests.support import PASSWORD

_askers = itertools.count(1)


@pytest.fixture
def team(app):
    return make_people(app, "sales1", "sales2", "sales_top", "sales_mgr", "gm",
                       sales1=Level.SECRET, sales_top=Level.SECRET)


def _book(app, customer, level=None) -> dict:
    """A customer's sales records of every kind, history included: an active contract with a
    payment and a ledger row, a closed contract (at `level`) with a payment and a ledger row,
    a planned and a done visit with its report, and a referral it made. {model: [ids]}."""
    active = make_contract(app, customer)
    closed = make_contract(app, customer, status=ContractStatus.CLOSED, level=level,
                           terms=(("advance", "500.00", -30),))
    ids = {Contract: [active.id, closed.id],
           Payment: [make_payment(app, active, "300.00").id,
                     make_payment(app, closed, "500.00").id],
           SalesEntry: [make_entry(app, active).id, make_entry(app, closed).id],
           VisitPlan: [make_visit(app, customer), make_visit(app, customer, VisitStatus.DONE)]}
    with app.app_context():
        record = db.session.get(Customer, customer.id)
        report = VisitReport(customer_id=record.id, plan_id=ids[VisitPlan][1],
                             visited_at=datetime(2026, 3, 2, 10), contact_met="王经理",
                             purpose="介绍新产品", content="客户有意向")
        referral = Referral(referrer_id=record.id, referred_name="介绍来的公司",
                            referred_on=date(2026, 2, 1))
        for row in (report, referral):
            inherit_scope(row, record)
            db.session.add(row)
        db.session.commit()
        ids[VisitReport], ids[Referral] = [report.id], [referral.id]
    return ids


def _scopes(app, book: dict) -> set[tuple[int, int]]:
    """The distinct (owner, department) of every record in the book."""
    with app.app_context():
        return {(row.owner_id, row.department_id)
                for model, ids in book.items() for row in
                db.session.scalars(select(model).where(model.id.in_(ids)))}


def _at(user) -> set[tuple[int, int]]:
    return {(user.id, user.department_id)}


def _transfer(client, app, customer, to: str, approver: str = "sales_mgr"):
    """`to` asks for the customer through the page, the approver signs."""
    client.login(to)
    response = client.post_form(f"/sales/ownership/new?customer={customer.id}",
                                {"reason": "客户指定由本人跟进"})
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        claim_id = db.session.scalar(select(OwnershipRequest.id).where(
            OwnershipRequest.customer_id == customer.id).order_by(OwnershipRequest.id.desc()))
    client.login(approver)
    assert sign(client, approval_of(app, claim_id)).status_code == 303


def test_an_approved_transfer_takes_every_sales_record_of_the_customer(client, app, team):
    """Contracts (closed too), payments, ledger rows, visits, reports and referrals go to the new
    owner and department; the old owner's other customers' records stay where they are."""
    customer, other = make_customer(app, team["sales1"]), make_customer(app, team["sales1"])
    book, kept = _book(app, customer), _book(app, other)
    _transfer(client, app, customer, "sales2")
    assert _scopes(app, book) == _at(team["sales2"])
    assert _scopes(app, kept) == _at(team["sales1"])


def test_the_new_owner_sees_the_payments_and_ledger_rows_the_summary_counts(client, app, team):
    """After a transfer the new owner's payment history lists what the summary says was received
    (no "尚无回款记录" beside "已收 ¥300"), and the ledger list shows the customer's rows; the
    former owner sees neither any more."""
    customer = make_customer(app, team["sales1"])
    book = _book(app, customer)
    _transfer(client, app, customer, "sales2")
    active, entries = book[Contract][0], book[SalesEntry]
    client.login("sales2")
    payments = client.get(f"/sales/contracts/{active}/payments").get_data(as_text=True)
    assert 'id="payment-history"' in payments and 'id="no-payments"' not in payments
    assert "300.00" in payments
    ledger = client.get("/sales/ledger/").get_data(as_text=True)
    assert all(f'id="entry-{i}"' in ledger for i in entries)
    client.login("sales1")
    assert client.get(f"/sales/contracts/{active}/payments").status_code == 404
    ledger = client.get("/sales/ledger/").get_data(as_text=True)
    assert not any(f'id="entry-{i}"' in ledger for i in entries)


def test_the_departure_hand_over_takes_the_customers_history_along(client, app, team):
    """The colleague who takes a departed owner's customers gets their closed contracts, the
    payments and ledger rows, done visits and reports, and referrals too."""
    customer, colleagues = make_customer(app, team["sales1"]), make_customer(app, team["sales2"])
    book, kept = _book(app, customer), _book(app, colleagues)
    deactivate(app, team["sales1"])
    client.login("sales_mgr")
    response = client.post_form(f"/sales/reassign/{team['sales1'].id}",
                                {"to": team["sales_top"].id, "password": PASSWORD})
    assert response.status_code == 303
    assert _scopes(app, book) == _at(team["sales_top"])
    assert _scopes(app, kept) == _at(team["sales2"])


def test_an_approved_owner_change_request_takes_the_records_along(app, team):
    """A change request that names a new owner moves the records when it is approved, not
    before."""
    customer = make_customer(app, team["sales1"])
    activate(app, customer, team["sales_mgr"])
    book = _book(app, customer)
    with app.app_context():
        change = propose_change(db.session.get(Customer, customer.id),
                                {"owner_id": team["sales_top"].id}, "调岗交接",
                                db.session.get(User, team["sales1"].id))
        db.session.commit()
        request_id = db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.record_type == "ChangeRequest", ApprovalRequest.record_id == change.id))
    assert _scopes(app, book) == _at(team["sales1"])
    with app.app_context():
        approvals.sign(db.session.get(ApprovalRequest, request_id),
                       db.session.get(User, team["sales_mgr"].id), Decision.APPROVE, "同意",
                       PASSWORD)
        db.session.commit()
        assert db.session.get(Customer, customer.id).owner_id == team["sales_top"].id
    assert _scopes(app, book) == _at(team["sales_top"])


def test_a_draft_customers_new_owner_takes_its_visits_along(app, team):
    """A draft changes owner by a plain edit: its visit plans follow at once."""
    customer = make_customer(app, team["sales1"])
    plans = [make_visit(app, customer), make_visit(app, customer, VisitStatus.DONE)]
    with app.app_context():
        record = db.session.get(Customer, customer.id)
        customers.update_customer(record, {"owner_id": team["sales2"].id}, record.version,
                                  db.session.get(User, team["sales1"].id))
        db.session.commit()
    assert _scopes(app, {VisitPlan: plans}) == _at(team["sales2"])


def test_a_requester_not_cleared_for_the_customers_records_is_refused(client, app, team):
    """An internal customer with a secret closed contract cannot go to someone cleared only
    for internal records: the request is refused (403) and nothing is filed or moved."""
    customer = make_customer(app, team["sales1"])
    book = _book(app, customer, level=Level.SECRET)
    client.login("sales2")
    response = client.post_form(f"/sales/ownership/new?customer={customer.id}",
                                {"reason": "客户指定由本人跟进"})
    assert response.status_code == 403
    assert "密级高于您涉密级别的合同或销售记录" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(OwnershipRequest.id)) is None
    assert _scopes(app, book) == _at(team["sales1"])


def test_a_transfer_cannot_be_signed_once_a_record_above_the_requesters_clearance_exists(
        client, app, team):
    """A secret contract registered while the request waits makes it unsound: the signature is
    refused (签字失效) and nothing moves."""
    customer = make_customer(app, team["sales1"])
    client.login("sales2")
    client.post_form(f"/sales/ownership/new?customer={customer.id}",
                     {"reason": "客户指定由本人跟进"})
    with app.app_context():
        claim_id = db.session.scalar(select(OwnershipRequest.id))
    secret = make_contract(app, customer, status=ContractStatus.CLOSED, level=Level.SECRET)
    client.login("sales_mgr")
    sign(client, approval_of(app, claim_id))
    assert _scopes(app, {Contract: [secret.id]}) == _at(team["sales1"])
    with app.app_context():
        assert db.session.get(Customer, customer.id).owner_id == team["sales1"].id


def test_the_hand_over_refuses_a_colleague_not_cleared_for_the_history(client, app, team):
    """The closed secret contract of a departed owner's internal customer would follow it: a
    colleague cleared only for internal records is refused, and nothing moves."""
    customer = make_customer(app, team["sales1"])
    book = _book(app, customer, level=Level.SECRET)
    deactivate(app, team["sales1"])
    client.login("sales_mgr")
    response = client.post_form(f"/sales/reassign/{team['sales1'].id}",
                                {"to": team["sales2"].id, "password": PASSWORD})
    assert response.status_code == 422
    assert "部分合同或销售记录的密级高于" in response.get_data(as_text=True)
    assert _scopes(app, book) == _at(team["sales1"])
    with app.app_context():
        assert db.session.get(Customer, customer.id).owner_id == team["sales1"].id


@contextmanager
def _statements(app):
    """Counts the SQL statements sent while the block runs."""
    sent = []

    def count(*_args):
        sent.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _file_requests(app, team, n: int) -> None:
    """n pending requests, each for another of sales1's customers by another salesperson."""
    pairs = [(make_customer(app, team["sales1"]), make_user(app, f"asker{next(_askers)}"))
             for _ in range(n)]
    with app.app_context():
        for customer, asker in pairs:
            ownership.request_transfer(db.session.get(Customer, customer.id),
                                       db.session.get(User, asker.id), "客户指定由本人跟进")
        db.session.commit()


def test_the_request_list_does_not_query_per_row(client, app, team):
    """The list shows each row's customer, former owner and requester: loading them takes the
    same number of statements for 2 rows as for 8 (no N+1)."""
    client.login("gm")
    counts = []
    for n in (2, 6):
        _file_requests(app, team, n)
        client.get("/sales/ownership/")  # warm-up: caches, session
        with _statements(app) as sent:
            html = client.get("/sales/ownership/").get_data(as_text=True)
        assert html.count('<tr id="ownership-') == sum((2, 6)[:len(counts) + 1])
        counts.append(len(sent))
    assert counts[0] == counts[1]
