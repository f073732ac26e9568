"""Uploads through the real page: .xls and .ods import like .xlsx; every malformed or hostile
file answers 422 with a clear message and keeps nothing; a cell the file holds no value for
fails its row only; the job writes the rows the dry run read, without reading the file again,
and the failed rows come back as the user wrote them."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import Customer, ImportBatch, ImportStatus
from tests.factories.imports import batch_id, start, upload
from tests.factories.people import make_user
from tests.sales.imports.crafted import (
    cell,
    customers,
    edited,
    ods,
    ods_customers,
    understated,
    wrong_checksum,
    xls,
    xls_customers,
    xls_dimensions,
)

pytestmark = pytest.mark.usefixtures("immediate_jobs")


@pytest.fixture
def sales1(client, app):
    make_user(app, "sales1")
    client.login("sales1")


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (ImportBatch, Customer))


def _batch(app, batch: int) -> tuple:
    with app.app_context():
        b = db.session.get(ImportBatch, batch)
        return b.status, b.total_rows, b.created, b.failed


HUGE_ODS = ('<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
            'table:number-columns-repeated="16384" office:value-type="string"><text:p>x'
            "</text:p></table:table-cell></table:table-row>")


@pytest.mark.usefixtures("sales1")
@pytest.mark.parametrize(("make", "filename", "message"), [
    (lambda: wrong_checksum(customers()), "客户.xlsx", "文件已损坏"),
    (lambda: understated(customers()), "客户.xlsx", "文件内容过大"),
    (lambda: edited(customers(), lambda x: x.replace(b'r="A2"', b'r="2"')), "客户.xlsx",
     "文件已损坏"),
    (lambda: edited(customers(), lambda x: x.replace(b'r="A2"', b'r="ZZZZZZZZZZ2"')),
     "客户.xlsx", "超出了 Excel 工作表的范围"),
    (lambda: edited(customers(), lambda x: x.replace(b'r="B2"', b'r="XFD1048576"')),
     "客户.xlsx", "有内容的区域超过"),
    (lambda: xls_dimensions(xls_customers(), 0xFFFFFFF0), "客户.xls", "有内容的区域超过"),
    (lambda: xls([["客户名称"]], far=(65535, 255)), "客户.xls", "有内容的区域超过"),
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 3000, "客户.xls", "旧版 Excel（.xls）"),
    (lambda: ods([["客户名称"]], tail=HUGE_ODS), "客户.ods", "有内容的区域超过"),
])
def test_a_malformed_or_hostile_file_gets_a_clear_message_and_keeps_nothing(
        client, app, make, filename, message):
    response = upload(client, make(), filename=filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _counts(app) == (0, 0)


@pytest.mark.usefixtures("sales1")
@pytest.mark.parametrize(("make", "filename"), [
    (lambda: xls_customers(3), "客户.xls"),
    (lambda: ods_customers(3), "客户.ods"),
    (lambda: edited(customers(3), lambda x: x.replace(b'r="A2"', b'r="a2"')), "客户.xlsx"),
])
def test_xls_ods_and_lower_case_references_import_like_any_xlsx(client, app, make, filename):
    response = upload(client, make(), filename=filename)
    assert response.status_code == 200 and 'id="count-create">新增 3' in response.get_data(
        as_text=True)
    batch = batch_id(response)
    assert start(client, batch).status_code == 303
    assert _batch(app, batch) == (ImportStatus.DONE, 3, 3, 0)
    with app.app_context():
        assert db.session.scalar(select(Customer.phone).where(
            Customer.name == "导入测试1有限公司")) == "13900000001"


@pytest.mark.usefixtures("sales1")
def test_a_formula_without_a_cached_value_fails_its_row_only(client, app):
    """openpyxl and XlsxWriter save formulas without their result: that row fails with what
    to do, the others import, and the failed rows' workbook shows the formula."""
    data = edited(customers(3), cell("C2", '<c r="C2"><f>"139"&amp;"00000001"</f><v/></c>'))
    data = edited(data, cell("C3", '<c r="C3"><f>"139"&amp;"00000002"</f><v>13900000002</v></c>'))
    response = upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="count-error">错误 1' in page
    assert "「联系电话」是公式，但文件中没有保存它的计算结果" in page
    batch = batch_id(response)
    start(client, batch)
    assert _batch(app, batch) == (ImportStatus.DONE, 3, 2, 1)
    failed = load_workbook(BytesIO(client.get(f"/sales/imports/{batch}/failed.xlsx").data))
    rows = list(failed.active.iter_rows(values_only=True))
    assert rows[1][:3] == ("导入测试1有限公司", "王经理", "'=\"139\"&\"00000001\"")
    assert "没有保存它的计算结果" in rows[1][-1]


@pytest.mark.usefixtures("sales1")
def test_an_out_of_range_date_serial_fails_its_row_only(client, app):
    data = edited(customers(2), cell("H2", '<c r="H2" s="1"><v>2958466</v></c>'))
    response = upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "首次接触时间「2958466」不是有效日期" in page
    assert 'id="count-create">新增 1' in page and 'id="count-error">错误 1' in page


@pytest.mark.usefixtures("sales1")
def test_an_error_value_fails_its_row_only(client, app):
    data = edited(customers(2), cell("B2", '<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))
    page = upload(client, data).get_data(as_text=True)
    assert "「联系人」的公式结果是错误值" in page
    assert 'id="count-create">新增 1' in page and 'id="count-error">错误 1' in page


@pytest.mark.usefixtures("sales1")
def test_the_job_writes_the_rows_the_dry_run_read_without_reading_the_file(client, app):
    response = upload(client, customers(3, 联系电话=1))
    batch = batch_id(response)
    with app.app_context():
        record = db.session.get(ImportBatch, batch)
        assert record.kept_rows
        record.file_data = b"not read again"
        db.session.commit()
    assert start(client, batch).status_code == 303
    assert _batch(app, batch) == (ImportStatus.DONE, 3, 2, 1)
    failed = load_workbook(BytesIO(client.get(f"/sales/imports/{batch}/failed.xlsx").data))
    rows = list(failed.active.iter_rows(values_only=True))
    assert rows[1][:3] == ("导入测试1有限公司", "王经理", 1)  # the cell as uploaded: a number


@pytest.mark.usefixtures("sales1")
def test_a_batch_checked_before_rows_were_kept_is_read_from_its_file(client, app):
    batch = batch_id(upload(client, customers(2)))
    with app.app_context():
        db.session.get(ImportBatch, batch).kept_rows = None
        db.session.commit()
    start(client, batch)
    assert _batch(app, batch) == (ImportStatus.DONE, 2, 2, 0)
