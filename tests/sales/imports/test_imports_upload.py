"""Uploads are checked before anything is kept: size, type by content, a readable workbook with
the required header; the batch pages follow the batch's owner; templates carry the seeds'
column names; the progress fragment polls while the job runs and stops when it is done."""

import io
import zipfile
from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Customer, ImportBatch, ImportStatus, Level, Role
from app.services.imports.xlsx import read_rows
from tests.factories.customers import make_customer
from tests.factories.imports import HEADERS, batch_id, row, start, upload, workbook
from tests.factories.people import make_user

pytestmark = pytest.mark.usefixtures("immediate_jobs")


def _nothing_kept(app) -> bool:
    with app.app_context():
        return not any(db.session.scalar(select(func.count()).select_from(model))
                       for model in (ImportBatch, Customer))


def _refused(response, message: str) -> None:
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.fixture
def sales1(client, app):
    make_user(app, "sales1")
    client.login("sales1")


@pytest.mark.usefixtures("sales1")
@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"not a spreadsheet at all", "客户.xlsx", "文件不是 Excel（.xlsx）工作簿"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "客户.xlsx", "旧版 Excel（.xls）"),
    (b"PK\x03\x04 broken zip", "客户.xlsx", "文件已损坏"),
    (b"name,phone\n", "客户.csv", "请上传 .xlsx 格式的 Excel 文件"),
])
def test_a_file_that_is_not_an_xlsx_is_refused(client, app, data, filename, message):
    """The type is judged by the content, not only by the name."""
    _refused(upload(client, data, filename=filename), message)
    assert _nothing_kept(app)


@pytest.mark.usefixtures("sales1")
def test_a_zip_that_is_not_a_workbook_is_refused(client, app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    _refused(upload(client, buffer.getvalue()), "文件不是 Excel（.xlsx）工作簿")
    assert _nothing_kept(app)


@pytest.mark.usefixtures("sales1")
def test_a_missing_required_header_is_named(client, app):
    headers = [h for h in HEADERS if h != "联系电话"]
    _refused(upload(client, workbook([row(1)], headers=headers)), "表头缺少必填列：联系电话")
    assert _nothing_kept(app)


@pytest.mark.usefixtures("sales1")
def test_an_empty_workbook_or_one_without_rows_is_refused(client, app):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    _refused(upload(client, buffer.getvalue()), "文件是空的")
    _refused(upload(client, workbook([])), "文件中没有数据行")
    assert _nothing_kept(app)


@pytest.mark.usefixtures("sales1")
def test_a_file_over_the_size_limit_gets_the_413_page(client, app):
    app.config["MAX_CONTENT_LENGTH"], limit = 200_000, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = upload(client, b"PK\x03\x04" + b"0" * 300_000)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413
    assert "上传的文件超过了允许的大小" in response.get_data(as_text=True)
    assert _nothing_kept(app)


@pytest.mark.usefixtures("sales1")
def test_an_unknown_ledger_is_refused(client, app):
    _refused(upload(client, workbook([row(1)]), ledger="visits"), "不是有效的选择")
    assert _nothing_kept(app)
    assert client.get("/sales/imports/template/visits.xlsx").status_code == 404


@pytest.mark.usefixtures("sales1")
@pytest.mark.parametrize(("ledger", "headers"), [
    ("contracts", ["合同编号", "合同名称", "客户名称", "签订日期", "产品名称", "规格型号",
                   "单位", "数量", "单价", "金额", "预付款", "验收款", "质保金", "交货日期",
                   "密级", "备注"]),
    ("sales", ["日期", "客户名称", "联系方式", "产品名称", "规格型号", "数量", "单价", "金额",
               "发票", "合同编号"]),
])
def test_every_ledger_has_a_template_with_the_seed_headers(client, ledger, headers):
    response = client.get(f"/sales/imports/template/{ledger}.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    header = next(book.active.iter_rows(values_only=True))
    assert set(headers) <= set(header)
    assert "已付货款" not in header and "欠款" not in header  # computed, never typed
    assert "即将开放" not in client.get("/sales/imports/").get_data(as_text=True)


def test_the_customer_template_has_the_seed_headers(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    response = client.get("/sales/imports/template/customers.xlsx")
    assert response.status_code == 200
    header = next(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert set(HEADERS) <= set(header)
    assert list(header[:9]) == HEADERS[:9]


def test_a_filled_template_imports(client, app):
    """The template's own header row passes the header check (round trip)."""
    make_user(app, "sales1")
    client.login("sales1")
    book = load_workbook(BytesIO(client.get("/sales/imports/template/customers.xlsx").data))
    header = [c.value for c in book.active[1]]
    book.active.append([row(1).get(h) for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, buffer.getvalue())
    assert response.status_code == 200 and 'id="count-create">新增 1' in response.get_data(
        as_text=True)


def test_a_staff_member_cannot_see_anothers_batch(client, app):
    make_user(app, "sales1")
    make_user(app, "sales2")
    make_user(app, "sales_mgr", role=Role.MANAGER, clearance=Level.SECRET)
    client.login("sales1")
    batch = batch_id(upload(client, workbook([row(1)])))
    client.login("sales2")
    for url in (f"/sales/imports/{batch}", f"/sales/imports/{batch}/status"):
        assert client.get(url).status_code == 404
    assert start(client, batch).status_code == 404
    assert f"/sales/imports/{batch}" not in client.get("/sales/imports/").get_data(as_text=True)
    client.login("sales_mgr")
    assert client.get(f"/sales/imports/{batch}").status_code == 200
    assert start(client, batch).status_code == 403  # the uploader confirms their own dry run
    assert f"/sales/imports/{batch}" in client.get("/sales/imports/").get_data(as_text=True)


def test_the_progress_fragment_polls_until_the_job_is_done(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    batch = batch_id(upload(client, workbook([row(1), row(2)])))
    with app.app_context():
        record = db.session.get(ImportBatch, batch)
        record.status, record.processed = ImportStatus.RUNNING, 1
        db.session.commit()
    running = client.htmx("GET", f"/sales/imports/{batch}/status").get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in running and 'hx-swap="outerHTML"' in running
    assert 'aria-valuenow="50"' in running and 'id="import-summary"' not in running
    assert f'hx-get="/sales/imports/{batch}/status"' in client.get(
        f"/sales/imports/{batch}").get_data(as_text=True)
    with app.app_context():
        db.session.get(ImportBatch, batch).status = ImportStatus.QUEUED
        db.session.get(ImportBatch, batch).processed = 0
        db.session.commit()
    with app.app_context():
        from app.services.imports import batches

        batches.run(batch)
    done = client.htmx("GET", f"/sales/imports/{batch}/status").get_data(as_text=True)
    assert "hx-trigger" not in done and 'id="import-summary"' in done
    assert "读取行数 2 = 新增 2 + 更新 0 + 跳过 0 + 失败 0" in done


def test_the_reader_handles_shared_strings_dates_numbers_and_blank_rows():
    book = Workbook()
    sheet = book.active
    sheet.append(["客户名称", "联系电话", "首次接触时间"])
    sheet.append(["甲公司", 13900001111, datetime(2025, 1, 2)])
    sheet.append([None, None, None])
    sheet.append(["乙公司", "010-12345678", "2025-02-03"])
    sheet["E7"] = "远处的单元格"
    buffer = io.BytesIO()
    book.save(buffer)
    rows = list(read_rows(buffer.getvalue()))
    assert [number for number, _values in rows] == [1, 2, 4, 7]
    assert rows[1][1] == ["甲公司", 13900001111, datetime(2025, 1, 2)]
    assert rows[2][1] == ["乙公司", "010-12345678", "2025-02-03"]
    assert rows[3][1][4] == "远处的单元格"


def test_an_unknown_rule_in_the_link_is_ignored_not_an_error(client, app):
    me = make_user(app, "sales1")
    make_customer(app, me, name="老客户有限公司")
    client.login("sales1")
    data = workbook([row(1, 客户名称="老客户有限公司", 联系人="新联系人")])
    batch = batch_id(upload(client, data, rule="update"))
    for link in ("?rule=foo", "?rule=", "?rule=update&page=x&show=nothing"):
        response = client.get(f"/sales/imports/{batch}{link}")
        assert response.status_code == 200
        assert 'id="count-update">更新 1' in response.get_data(as_text=True)


@pytest.mark.usefixtures("sales1")
def test_failed_rows_neutralise_formulas_in_the_uploaded_header(client, app):
    formula = '=HYPERLINK("http://x")'
    book = load_workbook(BytesIO(workbook([row(1, 联系电话="1")])))
    cell = book.active.cell(row=1, column=len(HEADERS) + 1)
    cell.value, cell.data_type = formula, "s"  # text that looks like a formula, as uploaded
    buffer = io.BytesIO()
    book.save(buffer)
    batch = batch_id(upload(client, buffer.getvalue()))
    start(client, batch)
    response = client.get(f"/sales/imports/{batch}/failed.xlsx")
    header = next(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert header[len(HEADERS)] == "'" + formula


def test_the_batches_list_exports_what_the_list_shows_and_is_audited(client, app):
    make_user(app, "sales1", full_name="张三")
    make_user(app, "sales2")
    client.login("sales1")
    batch_id(upload(client, workbook([row(1), row(2)]), filename="=cmd.xlsx"))
    response = client.get("/sales/imports/export.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("批次", "台账", "文件", "上传人")
    assert rows[1][1:4] == ("客户档案", "'=cmd.xlsx", "张三") and rows[1][7] == 2
    client.login("sales2")
    assert len(list(load_workbook(BytesIO(client.get("/sales/imports/export.xlsx").data))
                    .active.iter_rows())) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "export", AuditEvent.object_type == "ImportBatch")) == 2
