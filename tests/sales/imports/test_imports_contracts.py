"""Contract import: one row per contract with one product line, registered as a draft through the
contracts service; amounts exact in Decimal and computed, never taken as typed; a customer out of
the importer's scope is not found; duplicates skipped or, while still drafts, updated."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AuditEvent,
    Contract,
    ContractStatus,
    Customer,
    ImportBatch,
    ImportStatus,
    Level,
    TermKind,
)
from tests.factories.customers import make_customer
from tests.factories.imports import (
    CONTRACT_HEADERS,
    batch_id,
    contract_row,
    filled_template,
    imported,
    start,
    upload,
    workbook,
)
from tests.factories.people import make_user
from tests.factories.sales import make_contract

pytestmark = pytest.mark.usefixtures("immediate_jobs")


@pytest.fixture
def me(app, client):
    """sales1, signed in, with a customer of their own (甲方有限公司)."""
    user = make_user(app, "sales1")
    make_customer(app, user, name="甲方有限公司")
    client.login("sales1")
    return user


def _upload(client, rows, **kwargs):
    return upload(client, workbook(rows, CONTRACT_HEADERS), ledger="contracts",
                  filename="合同.xlsx", **kwargs)


def _counts(app, batch: int) -> tuple:
    with app.app_context():
        b = db.session.get(ImportBatch, batch)
        return b.status, b.total_rows, b.created, b.updated, b.skipped, b.failed


def _contract(app, name: str) -> Contract | None:
    with app.app_context():
        found = db.session.scalar(select(Contract).where(Contract.name == name)
                                  .order_by(Contract.id.desc()))
        if found is not None:
            found.lines, found.terms  # noqa: B018 (loaded before leaving the session)
            db.session.expunge(found)
        return found


def _contract_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contract))


@pytest.mark.usefixtures("me")
def test_the_dry_run_shows_every_row_and_writes_nothing(client, app):
    rows = [contract_row(1, "甲方有限公司"), contract_row(2, "不存在的客户"),
            contract_row(3, "甲方有限公司", 金额="999.00"),
            contract_row(4, "甲方有限公司", 验收款="600.00")]
    response = _upload(client, rows)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="count-create">新增 1' in page and 'id="count-error">错误 3' in page
    assert "找不到客户「不存在的客户」" in page
    assert "「金额」999.00 与 数量×单价 1,000.00 不符" in page
    assert "各期付款金额之和须等于合同金额" in page
    assert _contract_count(app) == 0
    assert _counts(app, batch_id(response))[0] == ImportStatus.CHECKED


def test_the_summary_reconciles_and_contracts_are_drafts_through_the_service(client, app, me):
    other = make_user(app, "sales2")
    make_customer(app, other, name="别人的客户有限公司")
    make_contract(app, _customer_named(app, "甲方有限公司"), by=me, name="已有合同")
    rows = [contract_row(1, "甲方有限公司"), contract_row(2, "甲方有限公司", 合同种类="服务合同"),
            contract_row(3, "甲方有限公司", 合同名称="已有合同"),
            contract_row(4, "甲方有限公司", 合同名称="导入合同1"),
            contract_row(5, "甲方有限公司", 单价="500.005"),
            contract_row(6, "别人的客户有限公司")]
    batch = imported(client, rows, ledger="contracts")
    assert _counts(app, batch) == (ImportStatus.DONE, 6, 2, 0, 2, 2)
    first = _contract(app, "导入合同1")
    assert first.status == ContractStatus.DRAFT and first.number.startswith("HT-")
    assert first.total_amount == Decimal("1000.00") and first.owner_id == me.id
    assert [(t.kind, t.amount) for t in first.terms] == [
        (TermKind.ADVANCE, Decimal("300.00")), (TermKind.ACCEPTANCE, Decimal("700.00"))]
    assert str(first.lines[0].quantity) == "2.000" and first.lines[0].unit == "台"
    page = client.get(f"/sales/imports/{batch}").get_data(as_text=True)
    assert "读取行数 6 = 新增 2 + 更新 0 + 跳过 2 + 失败 2" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "contract_created")) == 3


def _customer_named(app, name: str) -> Customer:
    with app.app_context():
        found = db.session.scalar(select(Customer).where(Customer.name == name))
        db.session.expunge(found)
        return found


@pytest.mark.usefixtures("me")
def test_amounts_are_exact_decimals_and_extra_decimals_are_refused(client, app):
    rows = [contract_row(1, "甲方有限公司", 数量=3, 单价=0.1, 预付款=0.3, 验收款=None,
                         验收款到期日期=None),
            contract_row(2, "甲方有限公司", 数量="1", 单价="1,234.50", 金额=1234.5,
                         预付款="1234.50", 验收款=None, 验收款到期日期=None),
            contract_row(3, "甲方有限公司", 数量=1, 单价=0.30000000000000004, 预付款="0.30",
                         验收款=None, 验收款到期日期=None),
            contract_row(4, "甲方有限公司", 单价="12.345"),
            contract_row(5, "甲方有限公司", 数量="1.2345"),
            contract_row(6, "甲方有限公司", 单价="一百")]
    response = _upload(client, rows)
    page = response.get_data(as_text=True)
    assert "「单价」最多保留 2 位小数" in page and "「数量」最多保留 3 位小数" in page
    assert "「单价」应填数字，「一百」不是数字" in page
    batch = batch_id(response)
    start(client, batch)
    assert _counts(app, batch)[2:] == (3, 0, 0, 3)
    assert _contract(app, "导入合同1").total_amount == Decimal("0.30")
    assert _contract(app, "导入合同2").total_amount == Decimal("1234.50")
    assert _contract(app, "导入合同3").lines[0].unit_price == Decimal("0.30")


def test_duplicates_are_skipped_or_updated_while_a_draft(client, app, me):
    customer = _customer_named(app, "甲方有限公司")
    draft = make_contract(app, customer, by=me, name="老合同")
    changed = contract_row(1, "甲方有限公司", 合同名称="老合同", 单价="600.00", 预付款="500.00",
                           规格型号=None)
    skipped = imported(client, [changed], ledger="contracts")
    assert _counts(app, skipped)[2:] == (0, 0, 1, 0)
    assert _contract(app, "老合同").total_amount == Decimal("1000.00")
    updated = imported(client, [changed], rule="update", ledger="contracts")
    assert _counts(app, updated)[2:] == (0, 1, 0, 0)
    contract = _contract(app, "老合同")
    assert contract.id == draft.id and contract.status == ContractStatus.DRAFT
    assert contract.total_amount == Decimal("1200.00") and contract.lines[0].spec == "X1"
    assert sorted(t.amount for t in contract.terms) == [Decimal("500.00"), Decimal("700.00")]
    by_number = contract_row(2, "甲方有限公司", 合同编号=draft.number.lower(), 合同名称="新名称")
    imported(client, [by_number], rule="update", ledger="contracts")
    assert _contract(app, "新名称").id == draft.id and _contract_count(app) == 1


def test_a_contract_under_review_or_signed_is_never_changed_by_an_import(client, app, me):
    customer = _customer_named(app, "甲方有限公司")
    signed = make_contract(app, customer, by=me, name="已生效合同")
    with app.app_context():
        db.session.get(Contract, signed.id).status = ContractStatus.ACTIVE
        db.session.commit()
    row = contract_row(1, "甲方有限公司", 合同名称="已生效合同", 单价="600.00", 预付款="500.00")
    response = _upload(client, [row], rule="update")
    assert "合同已评审生效，不能直接修改" in response.get_data(as_text=True)
    batch = imported(client, [row], rule="update", ledger="contracts")
    assert _counts(app, batch)[2:] == (0, 0, 0, 1)
    assert _contract(app, "已生效合同").total_amount == Decimal("1000.00")
    assert client.get(f"/sales/imports/{batch}/failed.xlsx").status_code == 200


def test_a_customer_out_of_scope_or_above_clearance_is_not_found(client, app, me):
    other = make_user(app, "sales2")
    make_customer(app, other, name="同事的客户有限公司")
    top = make_user(app, "sales_top", clearance=Level.SECRET)
    make_customer(app, top, name="秘密客户有限公司", confidentiality=Level.SECRET)
    rows = [contract_row(1, "同事的客户有限公司"), contract_row(2, "秘密客户有限公司"),
            contract_row(3, "根本没有的客户有限公司")]
    page = _upload(client, rows).get_data(as_text=True)
    for name in ("同事的客户有限公司", "秘密客户有限公司", "根本没有的客户有限公司"):
        assert f"找不到客户「{name}」：请填写您负责的客户的名称或编号。" in page
    assert 'id="count-error">错误 3' in page


def test_a_customer_may_be_named_by_number_and_a_former_number_is_kept(client, app, me):
    customer = _customer_named(app, "甲方有限公司")
    rows = [contract_row(1, None, 客户编号=customer.number, 合同编号="2023-XS-15"),
            contract_row(2, "乙方", 客户编号=customer.number)]
    page = _upload(client, rows).get_data(as_text=True)
    assert "系统中没有合同编号「2023-XS-15」" in page
    assert f"「客户名称」与「客户编号」{customer.number} 不是同一客户" in page
    imported(client, rows[:1], ledger="contracts")
    contract = _contract(app, "导入合同1")
    assert contract.customer_id == customer.id and "原合同编号：2023-XS-15" in contract.remarks
    assert contract.number != "2023-XS-15"


@pytest.mark.usefixtures("me")
@pytest.mark.parametrize(("drop", "message"), [
    ({"客户名称", "客户编号"}, "表头缺少必填列：客户名称（或客户编号）"),
    ({"合同名称"}, "表头缺少必填列：合同名称"),
])
def test_a_header_without_the_required_columns_is_refused(client, app, drop, message):
    headers = [h for h in CONTRACT_HEADERS if h not in drop]
    response = upload(client, workbook([contract_row(1, "甲方有限公司")], headers),
                      ledger="contracts")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


@pytest.mark.usefixtures("me")
def test_the_seed_names_and_a_level_default_to_the_customers(client, app):
    """表5-17's 总价 and 交货期 are read as 金额 and 交货日期; a blank 密级 is the customer's."""
    headers = [{"金额": "总价", "交货日期": "交货期"}.get(h, h) for h in CONTRACT_HEADERS]
    row = contract_row(1, "甲方有限公司", 总价="1000", 交货期="2026-04-01")
    response = upload(client, workbook([row], headers), ledger="contracts")
    assert 'id="count-create">新增 1' in response.get_data(as_text=True)
    start(client, batch_id(response))
    contract = _contract(app, "导入合同1")
    assert str(contract.delivery_date) == "2026-04-01"
    assert contract.confidentiality == Level.INTERNAL


@pytest.mark.usefixtures("me")
@pytest.mark.parametrize(("rule", "counts", "total"), [
    ("skip", (1, 0, 1, 0), Decimal("1000.00")), ("update", (1, 1, 0, 0), Decimal("1200.00"))])
def test_a_row_repeating_an_earlier_row_follows_the_rule(client, app, rule, counts, total):
    rows = [contract_row(1, "甲方有限公司"),
            contract_row(1, "甲方有限公司", 单价="600.00", 预付款="500.00")]
    batch = imported(client, rows, rule=rule, ledger="contracts")
    assert _counts(app, batch)[2:] == counts
    assert _contract(app, "导入合同1").total_amount == total and _contract_count(app) == 1


@pytest.mark.usefixtures("me")
def test_a_filled_template_imports(client, app):
    """The template's own header row passes the header check; its drop-downs' labels are read."""
    secret = contract_row(1, "甲方有限公司", 合同种类="框架协议", 密级="秘密")
    response = upload(client, filled_template(client, "contracts", [secret]), ledger="contracts")
    page = response.get_data(as_text=True)
    assert 'id="count-create">新增 0' in page and "密级不能高于您本人的涉密级别" in page
    row = contract_row(1, "甲方有限公司", 合同种类="框架协议")
    start(client, batch_id(upload(client, filled_template(client, "contracts", [row]),
                                  ledger="contracts")))
    assert _contract(app, "导入合同1").kind.value == "framework"
