"""年度产品销售台账 rows: amount = 数量 × 单价 computed exactly to the fen; a row belongs to a
contract in force the user may edit and inherits its scope; only descriptive fields are edited
(optimistically locked), amounts are corrected by reversal; nothing is deleted."""

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ContractStatus, EntryKind, Level, Role, SalesEntry
from app.services.sales.ledger.operations import mask_phones_in, row_amount, stamp
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.factories.sales import make_contract, make_entry
from tests.support import D, today


@pytest.fixture
def contract(app, seller):
    return make_contract(app, make_customer(app, seller, name="台账测试有限公司"))


def _row(app, contract, **values):
    data = {"entry_date": today(app).isoformat(), "kind": "sale", "contract_id": contract.id,
            "contact_name": "王经理", "product": "服务器", "spec": "X1", "quantity": "3",
            "unit_price": "0.10", "cost": "", "invoice_no": "FP-001", "remarks": ""}
    data.update(values)
    return data


def _only_entry(app) -> SalesEntry:
    with app.app_context():
        return db.session.scalars(select(SalesEntry)).one()


@pytest.mark.parametrize(("quantity", "price", "amount"), [
    ("3", "0.10", "0.30"), ("1.005", "1.00", "1.01"), ("3.333", "0.03", "0.10"),
    ("0.001", "0.01", "0.00"), ("12345.678", "9876.54", "121932582.59"),
    ("2.5", "0.01", "0.03")])
def test_amount_is_quantity_times_unit_price_rounded_half_up_to_the_fen(quantity, price,
                                                                         amount):
    """Decimal arithmetic: 0.1 × 3 is exactly 0.30; halves of a fen round up (not to even)."""
    assert row_amount(D(quantity), D(price)) == D(amount)


def test_a_new_row_takes_its_customer_and_scope_from_the_contract(app, client, seller):
    """The customer, owner, department and (higher) confidentiality come from the contract;
    the amount is computed, whatever the form might add."""
    secret = make_contract(app, make_customer(app, seller), level=Level.INTERNAL)
    client.login("seller")
    response = client.post_form("/sales/ledger/new", _row(app, secret, amount="999",
                                                          quantity="3", unit_price="0.10"))
    assert response.status_code == 303
    entry = _only_entry(app)
    assert (entry.amount, entry.customer_id, entry.owner_id) == (D("0.30"), secret.customer_id,
                                                                 seller.id)
    assert (entry.contract_id, entry.confidentiality) == (secret.id, Level.INTERNAL)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "sales_entry_created")) is not None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("quantity", "0", "数量须大于零"), ("quantity", "1.0001", "最多保留 3 位小数"),
    ("unit_price", "abc", "请填写数字"), ("unit_price", "-1", "单价不能为负数"),
    ("cost", "1.234", "最多保留 2 位小数"), ("product", "", "请填写产品名称"),
    ("entry_date", "2026-02-30", "请按 年-月-日 填写日期"), ("contract_id", "", "请选择合同")])
def test_invalid_values_are_refused_with_chinese_messages(app, client, contract, field, value,
                                                         message):
    """Bad input answers 422 with the form kept and a clear message; nothing is stored."""
    client.login("seller")
    response = client.post_form("/sales/ledger/new", _row(app, contract, **{field: value}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(SalesEntry)) == 0


def test_only_contracts_in_force_the_user_may_edit_are_accepted(app, client, seller, contract):
    """Another salesperson's contract, one above the user's clearance and a draft are refused."""
    colleague = make_user(app, "colleague")
    top = make_user(app, "top", clearance=Level.CONFIDENTIAL)
    theirs = make_contract(app, make_customer(app, colleague))
    secret = make_contract(app, make_customer(app, top, confidentiality=Level.SECRET))
    draft = make_contract(app, make_customer(app, seller), status=ContractStatus.DRAFT)
    client.login("seller")
    for other, message in ((theirs, "您有权查看的合同"), (secret, "您有权查看的合同"),
                           (draft, "尚未生效")):
        response = client.post_form("/sales/ledger/new", _row(app, other))
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    # The form's contract picker offers only contracts in force the user may see.
    page = client.htmx("GET", "/sales/contracts/pick?status=effective&q=").get_data(as_text=True)
    assert contract.number in page
    assert theirs.number not in page and secret.number not in page and draft.number not in page


def test_the_gm_and_other_departments_cannot_add_rows(app, client, contract):
    """Creating ledger rows is for sales staff and managers."""
    make_user(app, "boss", role=Role.GM, clearance=Level.CONFIDENTIAL)
    client.login("boss")
    assert client.get("/sales/ledger/new").status_code == 403
    assert client.post_form("/sales/ledger/new", _row(app, contract)).status_code == 403


def _details(**values) -> dict:
    data = {"contact_name": "王经理", "spec": "X1", "invoice_no": "FP-001", "remarks": ""}
    data.update(values)
    return data


def test_an_edit_changes_only_the_descriptive_fields_and_is_audited(app, client, contract):
    """Money rows are never edited in amount: the edit form takes 联系方式, 规格, 发票 and 备注;
    a quantity or price posted with it is ignored; the change is in the audit trail."""
    entry = make_entry(app, contract, quantity="1", unit_price="100.00")
    client.login("seller")
    form = client.get(f"/sales/ledger/{entry.id}/edit").get_data(as_text=True)
    assert 'name="quantity"' not in form and 'name="unit_price"' not in form
    response = client.post_form(f"/sales/ledger/{entry.id}/edit", _details(
        invoice_no="FP-002", quantity="2", unit_price="1.00", stamp=stamp(entry)))
    assert response.status_code == 303
    stored = _only_entry(app)
    assert (stored.amount, stored.quantity, stored.invoice_no) == (D("100.00"), D("1"), "FP-002")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "sales_entry_updated"))
        assert json.loads(event.changes)["invoice_no"] == [None, "FP-002"]


def test_a_stale_edit_is_refused_and_keeps_what_the_user_typed(app, client, contract):
    """Someone saved the row after the form was opened: 422, a conflict message, the input
    kept; the stored row is unchanged."""
    entry = make_entry(app, contract, quantity="1", unit_price="100.00")
    opened = stamp(entry)
    client.login("seller")
    first = client.post_form(f"/sales/ledger/{entry.id}/edit", _details(
        invoice_no="FP-5", stamp=opened))
    assert first.status_code == 303
    second = client.post_form(f"/sales/ledger/{entry.id}/edit", _details(
        invoice_no="FP-7", stamp=opened))
    html = second.get_data(as_text=True)
    assert second.status_code == 422 and 'id="edit-conflict"' in html and 'value="FP-7"' in html
    assert _only_entry(app).invoice_no == "FP-5"


def test_rows_cannot_be_deleted(app, client, contract):
    """Nothing is deleted: there is no delete route (a wrong row is reversed instead), and the
    list offers 红冲, not 删除."""
    entry = make_entry(app, contract, unit_price="88.00", product="交换机")
    client.login("seller")
    assert client.get(f"/sales/ledger/{entry.id}/delete").status_code == 404
    assert client.post_form(f"/sales/ledger/{entry.id}/delete", {}).status_code in (404, 405)
    assert _only_entry(app).id == entry.id
    page = client.get("/sales/ledger/").get_data(as_text=True)
    assert f"/sales/ledger/{entry.id}/reverse" in page and "删除" not in page


def test_phones_typed_in_the_contact_column_are_masked():
    """联系方式 may hold phone numbers: they are shown like the customer's, masked."""
    assert mask_phones_in("王经理 13812345678") == "王经理 138****5678"
    assert mask_phones_in("010-12345678 转 8") == "010-****5678 转 8"
    assert mask_phones_in("订单号 2026031512345678") == "订单号 2026031512345678"
    assert mask_phones_in(None) == ""


def test_the_list_masks_contact_phones_and_shows_the_kind(app, client, contract):
    """The page never shows a phone typed in 联系方式 in clear."""
    make_entry(app, contract, contact_name="王经理 13812345678", kind=EntryKind.RETURN)
    client.login("seller")
    html = client.get("/sales/ledger/").get_data(as_text=True)
    assert "138****5678" in html and "13812345678" not in html and "销货退回" in html
