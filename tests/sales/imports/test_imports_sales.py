"""Sales ledger import: each row goes under a contract in force that the importer may record sales
under, through the ledger service; 金额 is 数量 × 单价 in exact Decimal, a typed one that
disagrees fails the row; paid and owed are computed, never read; duplicates skipped or updated."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AuditEvent,
    Contract,
    ContractStatus,
    Customer,
    EntryKind,
    ImportBatch,
    Level,
    Role,
    SalesEntry,
)
from app.services.sales.ledger import operations as ledger
from tests.factories.customers import make_customer
from tests.factories.imports import (
    SALES_HEADERS,
    batch_id,
    filled_template,
    imported,
    sales_row,
    start,
    upload,
    workbook,
)
from tests.factories.people import make_user
from tests.factories.sales import make_contract

pytestmark = pytest.mark.usefixtures("immediate_jobs")


@pytest.fixture
def contract(app, client):
    """An active contract of sales1's customer 甲方有限公司; sales1 signed in."""
    me = make_user(app, "sales1")
    customer = make_customer(app, me, name="甲方有限公司")
    client.login("sales1")
    return make_contract(app, customer)


def _upload(client, rows, headers=SALES_HEADERS, **kwargs):
    return upload(client, workbook(rows, headers), ledger="sales", filename="台账.xlsx", **kwargs)


def _counts(app, batch: int) -> tuple:
    with app.app_context():
        b = db.session.get(ImportBatch, batch)
        return b.total_rows, b.created, b.updated, b.skipped, b.failed


def _entries(app) -> list[SalesEntry]:
    with app.app_context():
        found = list(db.session.scalars(select(SalesEntry).order_by(SalesEntry.id)))
        for entry in found:
            db.session.expunge(entry)
        return found


def test_the_dry_run_shows_every_row_and_writes_nothing(client, app, contract):
    rows = [sales_row(1, contract.number), sales_row(2, contract.number, 金额="150.00"),
            sales_row(3, "HT-1999-0001")]
    response = _upload(client, rows)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="count-create">新增 1' in page and 'id="count-error">错误 2' in page
    assert "「金额」150.00 与 数量×单价 200.00 不符" in page
    assert "找不到合同编号「HT-1999-0001」" in page
    assert _entries(app) == []


def test_the_summary_reconciles_with_bad_rows(client, app, contract):
    draft = make_contract(app, _customer(app, contract.customer_id),
                          status=ContractStatus.DRAFT, name="草稿合同")
    rows = [sales_row(1, contract.number), sales_row(2, contract.number, 金额="200.00"),
            sales_row(3, contract.number, 单价="0.005"), sales_row(4, draft.number),
            sales_row(5, contract.number, 客户名称="乙方有限公司"),
            sales_row(1, contract.number, 数量=5), sales_row(6, contract.number, 日期="2026-13-01")]
    batch = imported(client, rows, ledger="sales")
    assert _counts(app, batch) == (7, 2, 0, 1, 4)
    assert [(e.entry_date, e.amount) for e in _entries(app)] == [
        (date(2026, 2, 1), Decimal("200.00")), (date(2026, 2, 2), Decimal("200.00"))]
    page = client.get(f"/sales/imports/{batch}").get_data(as_text=True)
    assert "读取行数 7 = 新增 2 + 更新 0 + 跳过 1 + 失败 4" in page
    failed = client.get(f"/sales/imports/{batch}/failed.xlsx")
    sheet = list(load_workbook(BytesIO(failed.data)).active.iter_rows(values_only=True))
    assert list(sheet[0]) == [*SALES_HEADERS, "失败原因"]
    reasons = [r[-1] for r in sheet[1:]]
    assert "「单价」最多保留 2 位小数。" in reasons[0]
    assert "尚未生效（评审通过后方可登记销售）" in reasons[1]
    assert f"「客户名称」与合同 {contract.number} 的客户（甲方有限公司）不符" in reasons[2]
    assert "「日期」的「2026-13-01」不是有效日期" in reasons[3]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "sales_entry_created")) == 2


def _customer(app, customer_id: int) -> Customer:
    with app.app_context():
        found = db.session.get(Customer, customer_id)
        db.session.expunge(found)
        return found


def test_amounts_are_exact_decimals(client, app, contract):
    rows = [sales_row(1, contract.number, 数量=3, 单价=19.99, 成本=0.1),
            sales_row(2, contract.number, 数量="0.125", 单价="8.00", 金额=1),
            sales_row(3, contract.number, 数量=1, 单价="¥1,234.56", 金额="1234.56")]
    batch = imported(client, rows, ledger="sales")
    assert _counts(app, batch)[1] == 3
    first, second, third = _entries(app)
    assert (first.amount, first.cost) == (Decimal("59.97"), Decimal("0.10"))
    assert (second.quantity, second.amount) == (Decimal("0.125"), Decimal("1.00"))
    assert third.amount == Decimal("1234.56")


def test_duplicates_are_skipped_or_updated_by_the_chosen_rule(client, app, contract):
    with app.app_context():
        found = db.session.get(Contract, contract.id)
        ledger.create_entry(found, ledger.EntryData(
            entry_date=date(2026, 2, 1), kind=EntryKind.SALE, contact_name="王经理",
            product="服务器", spec="X1", quantity=Decimal(2), unit_price=Decimal("100.00"),
            cost=None, invoice_no="FP0001", remarks="原备注"), found.owner, confirmed_early=True)
        db.session.commit()
    changed = sales_row(1, contract.number, 数量=3, 发票="fp0001")
    skipped = imported(client, [changed], ledger="sales")
    assert _counts(app, skipped)[1:] == (0, 0, 1, 0)
    assert _entries(app)[0].amount == Decimal("200.00")
    # Recorded amounts are corrected by reversal (红冲), never overwritten by an import.
    refused = imported(client, [changed, sales_row(1, contract.number, 数量=4, 发票="FP0001")],
                       rule="update", ledger="sales")
    assert _counts(app, refused)[1:] == (0, 0, 0, 2)
    assert _entries(app)[0].amount == Decimal("200.00")
    updated = imported(client, [sales_row(1, contract.number, 发票="FP0001", 规格型号="X2")],
                       rule="update", ledger="sales")
    assert _counts(app, updated)[1:] == (0, 1, 0, 0)
    [entry] = _entries(app)
    assert (entry.quantity, entry.amount, entry.spec) == (Decimal("2.000"), Decimal("200.00"),
                                                          "X2")
    assert (entry.contact_name, entry.remarks) == ("王经理", "原备注")  # blank cells keep


def test_a_contract_out_of_scope_or_above_clearance_is_not_found(client, app, contract):
    other = make_user(app, "sales2")
    theirs = make_contract(app, make_customer(app, other, name="同事的客户有限公司"))
    top = make_user(app, "sales_top", clearance=Level.SECRET)
    secret = make_contract(app, make_customer(app, top, name="秘密客户有限公司",
                                              confidentiality=Level.SECRET))
    rows = [sales_row(1, theirs.number), sales_row(2, secret.number)]
    page = _upload(client, rows).get_data(as_text=True)
    for number in (theirs.number, secret.number):
        assert (f"找不到合同编号「{number}」：请填写您负责的、已生效的合同的编号。") in page
    assert "同事的客户" not in page and "秘密客户" not in page


def test_paid_owed_and_salesperson_are_computed_not_read(client, app, contract):
    headers = [*SALES_HEADERS, "已付货款", "欠款", "业务员"]
    row = sales_row(1, contract.number, 已付货款="200", 欠款="0", 业务员="别人")
    response = _upload(client, [row], headers=headers)
    page = response.get_data(as_text=True)
    assert "「已付货款」、「欠款」、「业务员」由系统按回款和客户负责人计算" in page
    start(client, batch_id(response))
    [entry] = _entries(app)
    assert entry.owner_id == contract.owner_id


def test_a_header_without_the_contract_column_is_refused(client, app, contract):
    headers = [h for h in SALES_HEADERS if h != "合同编号"]
    response = _upload(client, [sales_row(1, contract.number)], headers=headers)
    assert response.status_code == 422
    assert "表头缺少必填列：合同编号" in response.get_data(as_text=True)


def test_a_filled_template_imports(client, app, contract):
    data = filled_template(client, "sales", [sales_row(1, contract.number, 类别="销货退回")])
    start(client, batch_id(upload(client, data, ledger="sales")))
    [entry] = _entries(app)
    assert entry.kind == EntryKind.RETURN and entry.invoice_no == "FP0001"


def test_a_manager_records_sales_under_the_departments_contracts(client, app, contract):
    make_user(app, "sales_mgr", role=Role.MANAGER, clearance=Level.SECRET)
    client.login("sales_mgr")
    batch = imported(client, [sales_row(1, contract.number)], ledger="sales")
    assert _counts(app, batch)[1] == 1
    [entry] = _entries(app)
    assert entry.owner_id == contract.owner_id and entry.created_by_id != contract.owner_id
