"""客服部's import pages (/service/imports/): a 客服 user imports the after-sales ledger (seed 000's
售后服务台账) from its template through the pages — dry run, run, the reconciled summary and the
failed rows —; each department's pages offer and accept only its own ledgers, and show only its
own batches."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import DeptCode, DuplicateRule, ImportBatch, ImportStatus, User
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import ServiceRecord
from app.services.imports import batches, registry
from app.services.imports.errors import BadFile
from tests.factories.customers import make_customer
from tests.factories.imports import batch_id as sales_batch_id
from tests.factories.imports import row as customer_row
from tests.factories.imports import upload as sales_upload
from tests.factories.imports import workbook as customer_workbook
from tests.factories.people import make_people
from tests.service.imports.pages import (
    PAGES,
    batch_id,
    filled_template,
    ledger_row,
    ledger_workbook,
    start,
    upload,
)

pytestmark = pytest.mark.usefixtures("immediate_jobs")

# Seed 000 (售后服务台账模板): its customer, service and follow-up columns.
SEED_COLUMNS = ["客户名称", "联系电话", "电子邮箱", "地址", "服务类型", "服务时间", "服务地点",
                "服务内容", "服务结果", "客户反馈", "跟进时间", "跟进人员", "跟进结果", "备注"]


@pytest.fixture
def team(app):
    people = make_people(app, "cs1", "cs2", "cs_mgr", "sales1", "gm", named=True)
    make_customer(app, people["sales1"], name="华信科技有限公司")
    return people


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_service_user_imports_the_seed_ledger_through_the_pages(app, client, team):
    """Template with seed 000's columns → upload → dry run (nothing written) → confirm → the
    summary reconciles (read = created + updated + skipped + failed) → the failed row comes
    back with its reason; the records and their follow-ups are written."""
    client.login("cs1")
    assert f'href="{PAGES}"' in client.get("/service/").get_data(as_text=True)
    page = client.get(PAGES).get_data(as_text=True)
    assert "售后服务台账" in page and 'value="customers"' not in page
    data = filled_template(client, [ledger_row(), ledger_row(服务内容="年度保养"),
                                    ledger_row(客户名称="不存在的客户公司")])
    header = next(load_workbook(BytesIO(data)).active.iter_rows(values_only=True))
    assert set(SEED_COLUMNS) <= set(header)
    dry_run = upload(client, data)
    text = dry_run.get_data(as_text=True)
    assert dry_run.status_code == 200
    assert 'id="count-create">新增 2' in text and 'id="count-error">错误 1' in text
    assert "不存在的客户公司" in text and _count(app, ServiceRecord) == 0
    batch = batch_id(dry_run)
    assert start(client, batch).status_code == 303
    detail = client.get(f"{PAGES}{batch}").get_data(as_text=True)
    assert "读取行数 3 = 新增 2 + 更新 0 + 跳过 0 + 失败 1" in detail
    assert f'href="{PAGES}{batch}/failed.xlsx"' in detail
    failed = client.get(f"{PAGES}{batch}/failed.xlsx")
    rows = list(load_workbook(BytesIO(failed.data)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "客户档案中找不到客户「不存在的客户公司」" in str(rows[1])
    assert (_count(app, ServiceRecord), _count(app, ServiceFollowUp)) == (2, 2)
    assert f'href="{PAGES}{batch}"' in client.get(PAGES).get_data(as_text=True)


def test_the_progress_bar_polls_the_service_pages_until_the_job_is_done(app, client, team):
    """While the job runs, the batch page's progress widget polls its own status fragment on
    the service pages; once done the fragment stops polling and shows the summary."""
    client.login("cs1")
    batch = batch_id(upload(client, filled_template(client, [ledger_row(), ledger_row(
        服务内容="保养")])))
    with app.app_context():
        record = db.session.get(ImportBatch, batch)
        record.status, record.processed = ImportStatus.RUNNING, 1
        db.session.commit()
    running = client.htmx("GET", f"{PAGES}{batch}/status").get_data(as_text=True)
    assert f'hx-get="{PAGES}{batch}/status"' in running and 'hx-trigger="every 1s"' in running
    assert 'aria-valuenow="50"' in running and 'id="import-summary"' not in running
    with app.app_context():
        db.session.get(ImportBatch, batch).status = ImportStatus.QUEUED
        db.session.get(ImportBatch, batch).processed = 0
        db.session.commit()
        batches.run(batch)
    done = client.htmx("GET", f"{PAGES}{batch}/status").get_data(as_text=True)
    assert "hx-trigger" not in done and "读取行数 2 = 新增 2 + 更新 0 + 跳过 0 + 失败 0" in done


def test_a_salesperson_is_not_offered_and_cannot_post_the_service_ledger(app, client, team):
    """The sales upload form offers the sales ledgers only; a hand-made post of 售后服务台账 is
    refused on the form (422) and keeps nothing; its template is not on the sales pages; the
    service pages are closed to sales (403)."""
    client.login("sales1")
    page = client.get("/sales/imports/").get_data(as_text=True)
    assert "售后服务台账" not in page and 'value="customers"' in page
    response = sales_upload(client, ledger_workbook([ledger_row()]), ledger="service_records")
    assert response.status_code == 422 and "不是有效的选择" in response.get_data(as_text=True)
    assert _count(app, ImportBatch) == 0
    assert client.get("/sales/imports/template/service_records.xlsx").status_code == 404
    assert client.get(PAGES).status_code == 403
    assert upload(client, ledger_workbook([ledger_row()])).status_code == 403


def test_a_service_user_cannot_import_sales_ledgers(app, client, team):
    """客服 users are not offered the sales ledgers, a post of one to their own pages is refused
    on the form, the sales pages are closed to them, and the import kit itself refuses a
    ledger of another department, whoever calls it."""
    client.login("cs1")
    data = customer_workbook([customer_row(1)])
    response = upload(client, data, ledger="customers")
    assert response.status_code == 422 and "不是有效的选择" in response.get_data(as_text=True)
    assert client.get(f"{PAGES}template/customers.xlsx").status_code == 404
    assert client.get("/sales/imports/").status_code == 403
    assert sales_upload(client, data).status_code == 403
    assert _count(app, ImportBatch) == 0
    with app.app_context():
        actor = db.session.get(User, team["cs1"].id)
        with pytest.raises(BadFile, match="每个部门只导入本部门的台账"):
            batches.check_upload(actor, "customers", "客户.xlsx", data, DuplicateRule.SKIP)


def test_each_departments_pages_show_its_own_batches(app, client, team):
    """The GM reads every batch, each on its department's pages: a sales batch is not listed
    on the service pages and its address there is 404, and the other way round."""
    client.login("sales1")
    sales_batch = sales_batch_id(sales_upload(client, customer_workbook([customer_row(1)])))
    client.login("cs1")
    service_batch = batch_id(upload(client, filled_template(client, [ledger_row()])))
    client.login("gm")
    service_list = client.get(PAGES).get_data(as_text=True)
    sales_list = client.get("/sales/imports/").get_data(as_text=True)
    assert f"{PAGES}{service_batch}" in service_list and f"{PAGES}{sales_batch}" not in (
        service_list)
    assert f"/sales/imports/{sales_batch}" in sales_list
    assert f"/sales/imports/{service_batch}" not in sales_list
    assert client.get(f"{PAGES}{sales_batch}").status_code == 404
    assert client.get(f"/sales/imports/{service_batch}").status_code == 404
    assert client.get(f"{PAGES}{service_batch}").status_code == 200
    assert 'id="upload-button"' not in service_list and 'id="read-only-note"' in service_list


def test_each_ledger_is_its_departments(app):
    """Every importer is registered with the department whose ledger it fills: the sales
    ledgers are 销售部's, 售后服务台账 客服部's, and each department's list holds only its own."""
    departments = {ledger: registry.department_of(ledger) for ledger in registry.labels()}
    assert None not in departments.values()
    assert departments.items() >= {"customers": DeptCode.SALES, "contracts": DeptCode.SALES,
                                   "sales": DeptCode.SALES,
                                   "service_records": DeptCode.SERVICE}.items()
    for code in (DeptCode.SALES, DeptCode.SERVICE):
        assert {i.ledger for i in registry.importers(code)} == {
            ledger for ledger, owner in departments.items() if owner == code}
    with pytest.raises(BadFile):
        registry.importer_for("customers", DeptCode.SERVICE)
