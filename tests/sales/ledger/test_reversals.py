"""Corrections by reversal (红冲): a payment or a ledger row is never edited in amount or
deleted; a reversal row of the opposite amount names it, with a required reason, is audited,
is shown beside the struck-through original, and nets it out of every total. An original is
reversed once, a reversal never; above the threshold nothing is written until the department
manager has signed."""

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    ApprovalRequest,
    AuditEvent,
    Contract,
    Payment,
    PaymentTerm,
    RequestStatus,
    SalesEntry,
)
from app.models.approvals import Decision
from app.models.sales.ledger import ReversalRequest
from app.services.sales.ledger import payments
from app.services.sales.ledger.receivables import aging
from tests.factories.approvals import latest_request_id, sign_as
from tests.factories.customers import make_customer
from tests.factories.sales import make_contract, make_entry, make_payment, term_ids
from tests.support import D, sheet, today


@pytest.fixture
def contract(app, people):
    customer = make_customer(app, people["seller"], name="红冲测试有限公司")
    return make_contract(app, customer, terms=(("advance", "50000.00", -5),))


def _reverse_payment(client, payment, reason="金额录入错误"):
    return client.post_form(f"/sales/payments/{payment.id}/reverse", {"reason": reason})


def _reverse_entry(client, entry, reason="数量录入错误"):
    return client.post_form(f"/sales/ledger/{entry.id}/reverse", {"reason": reason})


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _paid_total(app, contract) -> D:
    with app.app_context():
        return db.session.scalar(select(PaymentTerm.paid_total).where(
            PaymentTerm.contract_id == contract.id))


def test_a_payment_reversal_nets_every_total_and_keeps_the_original(app, client, contract):
    """Below the threshold the reversal is written at once: the original stays, the reversal
    row of the opposite amount names it with the reason, and paid_total, the contract
    balance, the receivables aging and the 表5-21 statistics all net back to nothing paid."""
    payment = make_payment(app, contract, "800.00")
    assert _paid_total(app, contract) == D("800.00")
    client.login("seller")
    assert _reverse_payment(client, payment).status_code == 303
    with app.app_context():
        rows = db.session.scalars(select(Payment).order_by(Payment.id)).all()
        assert [(p.amount, p.reverses_id, p.reversal_reason) for p in rows] == [
            (D("800.00"), None, None), (D("-800.00"), payment.id, "金额录入错误")]
        balance = payments.contract_balance(db.session.get(Contract, contract.id))
        assert (balance.paid, balance.outstanding) == (D("0.00"), D("50000.00"))
        assert aging(select(Contract), "customer").totals["total"] == D("50000.00")
    assert _paid_total(app, contract) == D("0.00")
    stats = client.get("/sales/statistics/?date_from=2000-01-01").get_data(as_text=True)
    assert 'data-reversed="1"' in stats and "金额录入错误" in stats


def test_after_reversing_the_correct_payment_can_be_recorded(app, client, contract):
    """The term owes its full amount again, so the right payment is recorded anew."""
    payment = make_payment(app, contract, "500.00")
    client.login("seller")
    assert _reverse_payment(client, payment).status_code == 303
    response = client.post_form(f"/sales/contracts/{contract.id}/payments", {
        "term": term_ids(app, contract)[0], "paid_on": today(app).isoformat(),
        "amount": "50.00", "method": "bank_transfer"})
    assert response.status_code == 303
    assert _paid_total(app, contract) == D("50.00")


@pytest.mark.parametrize("reason", ["", "   "])
def test_the_reason_is_required(app, client, contract, reason):
    """A blank reason (or spaces only) is refused with a message; nothing is written."""
    payment = make_payment(app, contract, "100.00")
    client.login("seller")
    response = _reverse_payment(client, payment, reason)
    assert response.status_code == 422 and "请填写红冲原因" in response.get_data(as_text=True)
    assert _count(app, Payment) == 1


def test_a_payment_is_reversed_once_and_a_reversal_never(app, client, contract):
    """A second reversal of the same payment and a reversal of the reversal are refused."""
    payment = make_payment(app, contract, "100.00")
    client.login("seller")
    assert _reverse_payment(client, payment).status_code == 303
    again = _reverse_payment(client, payment)
    assert again.status_code == 422 and "不能重复红冲" in again.get_data(as_text=True)
    with app.app_context():
        reversal = db.session.scalar(select(Payment).where(Payment.reverses_id == payment.id))
    assert _reverse_payment(client, reversal).status_code == 403  # policy: never changed
    assert _count(app, Payment) == 2


def test_the_reversal_is_audited_with_its_reason(app, client, contract):
    """The audit trail names the original, the reversal row, both amounts and the reason."""
    payment = make_payment(app, contract, "100.00")
    client.login("seller")
    _reverse_payment(client, payment, "客户退回重复付款")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "payment_reversed"))
        changes = json.loads(event.changes)
        reversal = db.session.scalar(select(Payment.id).where(Payment.reverses_id.is_not(None)))
    assert (event.object_type, event.object_id) == ("Payment", payment.id)
    assert changes["amount"] == ["100.00", "-100.00"]
    assert (changes["reason"], changes["reversal"]) == ("客户退回重复付款", reversal)


def test_the_payments_page_strikes_the_original_and_shows_the_reversal(app, client, contract):
    """The confirmation step shows the original; afterwards the history shows the original
    struck through, the reversal with its reason, and no second 红冲 link; the export says the
    same."""
    payment = make_payment(app, contract, "123.45")
    client.login("seller")
    confirm = client.get(f"/sales/payments/{payment.id}/reverse").get_data(as_text=True)
    assert "¥123.45" in confirm and 'name="reason"' in confirm
    _reverse_payment(client, payment, "录错合同")
    page = client.get(f"/sales/contracts/{contract.id}/payments").get_data(as_text=True)
    assert f'id="payment-{payment.id}" data-reversed="1"' in page
    assert "<del>¥123.45</del>" in page and "录错合同" in page
    assert f"/sales/payments/{payment.id}/reverse" not in page
    history, _terms = [sheet for sheet in _sheets(client, contract)]
    assert [row[-1] for row in history[1:]] == ["已红冲", "红冲（原因：录错合同）"]


def _sheets(client, contract):
    from io import BytesIO

    from openpyxl import load_workbook
    response = client.get(f"/sales/contracts/{contract.id}/payments/export.xlsx")
    book = load_workbook(BytesIO(response.data), read_only=True)
    return [[tuple(r) for r in s.iter_rows(values_only=True) if r and r[0] != "合计"]
            for s in book.worksheets]


def test_above_the_threshold_nothing_is_written_until_the_manager_signs(app, client, people,
                                                                         contract):
    """A reversal above REVERSAL_APPROVAL_ABOVE files an approval request; the payment still
    counts until the department manager approves, then the reversal row is written in the
    requester's name with the request in its audit."""
    payment = make_payment(app, contract, "20000.00")
    client.login("seller")
    confirm = client.get(f"/sales/payments/{payment.id}/reverse").get_data(as_text=True)
    assert 'id="reversal-approval"' in confirm
    assert _reverse_payment(client, payment).status_code == 303
    assert _count(app, Payment) == 1 and _paid_total(app, contract) == D("20000.00")
    page = client.get(f"/sales/contracts/{contract.id}/payments").get_data(as_text=True)
    assert "红冲审批中" in page
    second = _reverse_payment(client, payment)
    assert second.status_code == 422 and "正在审批中" in second.get_data(as_text=True)
    with app.app_context():
        request_id = db.session.scalar(select(ReversalRequest.id))
    approval = latest_request_id(app, request_id, "ReversalRequest")
    sign_as(app, approval, people["boss"])
    with app.app_context():
        reversal = db.session.scalar(select(Payment).where(Payment.reverses_id == payment.id))
        assert (reversal.amount, reversal.recorded_by_id) == (D("-20000.00"), people["seller"].id)
        assert db.session.get(ReversalRequest, request_id).status == RequestStatus.APPROVED
    assert _paid_total(app, contract) == D("0.00")


def test_a_rejected_reversal_writes_nothing(app, client, people, contract):
    """Rejected by the manager: no reversal row, the payment still counts, and it can be
    asked again."""
    payment = make_payment(app, contract, "20000.00")
    client.login("seller")
    _reverse_payment(client, payment)
    with app.app_context():
        request_id = db.session.scalar(select(ReversalRequest.id))
    sign_as(app, latest_request_id(app, request_id, "ReversalRequest"), people["boss"],
            Decision.REJECT, "凭证齐全，不应红冲")
    assert _count(app, Payment) == 1 and _paid_total(app, contract) == D("20000.00")
    assert _reverse_payment(client, payment).status_code == 303
    assert _count(app, ReversalRequest) == 2


def test_the_threshold_is_a_config_value(app, client, contract):
    """At or below the configured amount the reversal is immediate."""
    app.config["REVERSAL_APPROVAL_ABOVE"] = "50000.00"
    payment = make_payment(app, contract, "50000.00")
    client.login("seller")
    assert _reverse_payment(client, payment).status_code == 303
    assert _count(app, Payment) == 2 and _count(app, ApprovalRequest) == 0


def test_a_ledger_row_reversal_nets_the_ledger_and_the_results(app, client, contract):
    """The reversed row and its reversal are shown (the original struck through, the reason
    beside the reversal), are neither paid nor owed, and net to zero in the list's sums, the
    export and 表5-11."""
    make_entry(app, contract, quantity="2", unit_price="300.00", cost="100.00")
    wrong = make_entry(app, contract, quantity="1", unit_price="999.00", product="交换机")
    client.login("seller")
    assert _reverse_entry(client, wrong, "重复登记").status_code == 303
    page = client.get("/sales/ledger/").get_data(as_text=True)
    assert f'id="entry-{wrong.id}"' in page and 'data-reversed="1"' in page
    assert "<del>¥999.00</del>" in page and "重复登记" in page
    assert 'id="net-sum">¥600.00' in page
    with app.app_context():
        reversal = db.session.scalar(select(SalesEntry).where(SalesEntry.reverses_id == wrong.id))
        assert (reversal.amount, reversal.quantity) == (D("-999.00"), D("-1"))
    rows = sheet(client.get("/sales/ledger/export.xlsx"))
    assert sorted(str(r[-1]) for r in rows[1:] if r[0] != "合计") == [
        "None", "已红冲", "红冲（原因：重复登记）"]
    results = client.get("/sales/results/").get_data(as_text=True)
    assert "¥600.00" in results and "¥1,599.00" not in results


def test_a_ledger_row_is_reversed_once_with_a_reason(app, client, contract):
    """Blank reason refused; a second reversal refused; the reversal is audited."""
    entry = make_entry(app, contract, unit_price="10.00")
    client.login("seller")
    assert _reverse_entry(client, entry, " ").status_code == 422
    assert _reverse_entry(client, entry).status_code == 303
    assert _reverse_entry(client, entry).status_code == 422
    assert _count(app, SalesEntry) == 2
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "sales_entry_reversed")) is not None
