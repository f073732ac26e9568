"""Customer import: the dry run writes nothing; the job writes what the dry run showed, under the
chosen duplicate rule; the summary reconciles; failed rows come back with their reason."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AuditEvent,
    Customer,
    CustomerStatus,
    CustomerType,
    Grade,
    ImportBatch,
    ImportStatus,
    Industry,
    Level,
    NumberCounter,
    Role,
    Source,
)
from app.services.imports import batches
from tests.factories.customers import make_customer
from tests.factories.imports import HEADERS, batch_id, imported, row, start, upload, workbook
from tests.factories.people import make_user

pytestmark = pytest.mark.usefixtures("immediate_jobs")


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _batch(app, batch: int) -> ImportBatch:
    with app.app_context():
        found = db.session.get(ImportBatch, batch)
        db.session.expunge(found)
        return found


def _customer(app, name: str) -> Customer | None:
    with app.app_context():
        found = db.session.scalar(select(Customer).where(Customer.name == name))
        if found is not None:
            db.session.expunge(found)
        return found


def test_the_dry_run_shows_every_row_and_writes_nothing(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    counters = _count(app, NumberCounter)
    response = upload(client, workbook([row(1), row(2), row(3, 联系电话="12345")]))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "导入测试1有限公司" in page and "导入测试3有限公司" in page
    assert 'id="count-create">新增 2' in page and 'id="count-error">错误 1' in page
    assert "请输入有效的手机号" in page and 'id="confirm-form"' in page
    assert _count(app, Customer) == 0 and _count(app, NumberCounter) == counters
    assert _batch(app, batch_id(response)).status == ImportStatus.CHECKED


def test_the_summary_reconciles_good_duplicate_and_invalid_rows(client, app):
    me = make_user(app, "sales1")
    make_customer(app, me, name="已有客户有限公司")
    client.login("sales1")
    rows = [row(1), row(2), row(3, 客户名称="已有客户有限公司"), row(4, 联系电话="12345"),
            row(5, 客户性质="个人", 身份证号="110101199003070000"),
            row(6, 客户名称="导入测试1有限公司"), row(7, 所属行业="外星贸易")]
    batch = _batch(app, imported(client, rows))
    assert batch.status == ImportStatus.DONE
    assert (batch.total_rows, batch.created, batch.updated, batch.skipped, batch.failed) == (
        7, 2, 0, 2, 3)
    assert batch.total_rows == batch.created + batch.updated + batch.skipped + batch.failed
    assert _count(app, Customer) == 3
    page = client.get(f"/sales/imports/{batch.id}").get_data(as_text=True)
    assert "读取行数 7 = 新增 2 + 更新 0 + 跳过 2 + 失败 3" in page


def test_duplicates_are_skipped_or_updated_by_the_chosen_rule(client, app):
    me = make_user(app, "sales1")
    make_customer(app, me, name="老客户有限公司", contact_name="老联系人", remarks="原备注")
    client.login("sales1")
    changed = row(1, 客户名称="老客户有限公司", 联系人="新联系人", 备注=None, 客户类型=None)
    skipped = _batch(app, imported(client, [changed], rule="skip"))
    assert (skipped.skipped, skipped.updated) == (1, 0)
    assert _customer(app, "老客户有限公司").contact_name == "老联系人"
    updated = _batch(app, imported(client, [changed], rule="update"))
    assert (updated.skipped, updated.updated) == (0, 1)
    customer = _customer(app, "老客户有限公司")
    assert customer.contact_name == "新联系人"
    assert customer.remarks == "原备注" and customer.type == CustomerType.POTENTIAL  # blank: kept
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "customer_updated")) == 1


def test_the_rule_can_be_changed_on_the_dry_run_page(client, app):
    me = make_user(app, "sales1")
    make_customer(app, me, name="老客户有限公司")
    client.login("sales1")
    response = upload(client, workbook([row(1, 客户名称="老客户有限公司", 联系人="新联系人")]))
    batch = batch_id(response)
    assert 'id="count-skip">跳过 1' in response.get_data(as_text=True)
    fragment = client.htmx("GET", f"/sales/imports/{batch}?rule=update").get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="preview">')
    assert 'id="count-update">更新 1' in fragment and "将更新已有客户" in fragment


def test_a_rule_switch_after_the_batch_was_started_shows_where_it_stands(client, app):
    """The dry run's rule switch asks for the preview alone (htmx); from a page left open
    after the batch was started it gets the batch's progress, not an error."""
    make_user(app, "sales1")
    client.login("sales1")
    batch = imported(client, [row(1)])
    response = client.htmx("GET", f"/sales/imports/{batch}?rule=update")
    assert response.status_code == 200 and 'id="import-status"' in response.get_data(as_text=True)


def test_an_active_customers_key_fields_are_not_changed_by_an_import(client, app):
    me = make_user(app, "sales1")
    existing = make_customer(app, me, name="已生效客户有限公司")
    with app.app_context():
        db.session.get(Customer, existing.id).status = CustomerStatus.ACTIVE
        db.session.commit()
    client.login("sales1")
    key_change = row(1, 客户名称="已生效客户有限公司", 密级="公开")
    batch = _batch(app, imported(client, [key_change], rule="update"))
    assert (batch.failed, batch.updated) == (1, 0)
    assert _customer(app, "已生效客户有限公司").confidentiality == Level.INTERNAL


def test_a_staff_member_cannot_update_a_colleagues_customer(client, app):
    make_user(app, "sales1")
    other = make_user(app, "sales2")
    make_customer(app, other, name="别人的客户有限公司", contact_name="原联系人")
    client.login("sales1")
    batch = _batch(app, imported(client, [row(1, 客户名称="别人的客户有限公司")], rule="update"))
    assert batch.failed == 1
    assert _customer(app, "别人的客户有限公司").contact_name == "原联系人"


def test_failed_rows_download_with_the_reason_in_an_added_column(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    batch = imported(client, [row(1), row(2, 联系电话="12345"), row(3, 电子邮箱="不是邮箱")])
    response = client.get(f"/sales/imports/{batch}/failed.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADERS, "失败原因"]
    assert [r[0] for r in rows[1:]] == ["导入测试2有限公司", "导入测试3有限公司"]
    assert "手机号" in rows[1][-1] and "电子邮箱格式不正确" in rows[2][-1]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "export", AuditEvent.object_type == "ImportBatch")) == 1


def test_no_failed_rows_no_download(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    batch = imported(client, [row(1)])
    assert client.get(f"/sales/imports/{batch}/failed.xlsx").status_code == 404


def test_labels_and_codes_are_both_accepted(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    rows = [row(1, 所属行业="TECH", 客户类型="deal", 客户等级="A", 客户来源="expo"),
            row(2, 所属行业="制造业", 客户类型="意向客户", 客户等级="C类（潜力）",
                客户来源="转介绍")]
    assert _batch(app, imported(client, rows)).created == 2
    first, second = _customer(app, "导入测试1有限公司"), _customer(app, "导入测试2有限公司")
    assert (first.industry, first.type, first.grade, first.source) == (
        Industry.TECH, CustomerType.DEAL, Grade.A, Source.EXPO)
    assert (second.industry, second.type, second.grade, second.source) == (
        Industry.MFG, CustomerType.INTENT, Grade.C, Source.REFERRAL)


def test_the_same_phone_is_a_warning_not_an_error(client, app):
    me = make_user(app, "sales1")
    make_customer(app, me, name="电话相同有限公司", phone="13900001111")
    client.login("sales1")
    response = upload(client, workbook([row(1, 联系电话="13900001111")]))
    assert "该联系电话已登记在其他客户名下" in response.get_data(as_text=True)
    start(client, batch_id(response))
    assert _customer(app, "导入测试1有限公司").phone == "13900001111"


def test_dates_ids_and_numbers_follow_the_form_rules(client, app):
    from datetime import datetime

    make_user(app, "sales1")
    client.login("sales1")
    valid_id, wrong_check = "11010119900307002X", "110101199003070028"
    rows = [row(1, 首次接触时间=datetime(2025, 5, 6), 联系电话=13900002222),
            row(2, 首次接触时间="2999-01-01"), row(3, 客户性质="个人", 身份证号=wrong_check),
            row(4, 客户性质="个人", 身份证号=valid_id.lower()), row(5, 身份证号=valid_id)]
    batch = _batch(app, imported(client, rows))
    assert (batch.created, batch.failed) == (2, 3)
    first = _customer(app, "导入测试1有限公司")
    assert str(first.first_contact_date) == "2025-05-06" and first.phone == "13900002222"
    assert _customer(app, "导入测试4有限公司").id_number == valid_id


def test_a_manager_assigns_owners_by_the_owner_column(client, app):
    make_user(app, "sales_mgr", role=Role.MANAGER, clearance=Level.SECRET)
    staff = make_user(app, "sales1", full_name="张三")
    client.login("sales_mgr")
    rows = [row(1, 负责人="张三"), row(2), row(3, 负责人="不存在的人")]
    data = workbook(rows, headers=[*HEADERS, "负责人"])
    response = upload(client, data)
    start(client, batch_id(response))
    assert _customer(app, "导入测试1有限公司").owner_id == staff.id
    assert _customer(app, "导入测试2有限公司").owner.username == "sales_mgr"
    assert _customer(app, "导入测试3有限公司") is None


def test_a_staff_member_imports_only_for_themselves(client, app):
    make_user(app, "sales1")
    make_user(app, "sales2", full_name="李四")
    client.login("sales1")
    data = workbook([row(1, 负责人="李四"), row(2, 负责人="sales1")],
                    headers=[*HEADERS, "负责人"])
    batch = _batch(app, imported_data(client, data))
    assert (batch.created, batch.failed) == (1, 1)


def imported_data(client, data: bytes) -> int:
    batch = batch_id(upload(client, data))
    start(client, batch)
    return batch


def test_a_level_above_the_importers_clearance_is_refused(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    batch = _batch(app, imported(client, [row(1, 密级="秘密"), row(2, 密级="公开")]))
    assert (batch.created, batch.failed) == (1, 1)
    assert _customer(app, "导入测试2有限公司").confidentiality == Level.PUBLIC


def test_imported_customers_match_those_the_form_creates(client, app):
    """The bulk path writes the same row as services.customers.create_customer would."""
    me = make_user(app, "sales1")
    made = make_customer(app, me, name="表单登记有限公司", phone="13900003333",
                         type=CustomerType.DEAL, grade=Grade.A, remarks="批量导入")
    client.login("sales1")
    imported(client, [row(1, 客户名称="表单导入有限公司", 联系电话="13900004444",
                          首次接触时间="2026-01-15", 地址="北京市朝阳区建国路1号")])
    new = _customer(app, "表单导入有限公司")
    skip = {"id", "number", "name", "name_key", "name_sort", "name_initials", "phone",
            "search_text", "created_at", "updated_at"}
    columns = [c.key for c in Customer.__table__.columns if c.key not in skip]
    assert {c: getattr(new, c) for c in columns} == {c: getattr(made, c) for c in columns}
    assert new.number.endswith("-002") and new.status == CustomerStatus.DRAFT
    assert (new.name_initials, made.name_initials) == ("bddryxgs", "bddjyxgs")  # the pickers'


def test_numbers_continue_the_series_after_an_import(client, app):
    me = make_user(app, "sales1")
    client.login("sales1")
    imported(client, [row(1), row(2)])
    later = make_customer(app, me, name="后登记有限公司")
    assert _customer(app, "导入测试2有限公司").number.endswith("-TECH-002")
    assert later.number.endswith("-TECH-003")


def test_start_and_finish_are_audited_with_the_counts(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    imported(client, [row(1), row(2, 联系电话="1")])
    with app.app_context():
        events = {e.action: e for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.action.in_(("import_started", "import_finished", "customers_imported"))))}
    assert set(events) == {"import_started", "import_finished", "customers_imported"}
    assert '"created":1' in events["import_finished"].changes
    assert '"failed":1' in events["import_finished"].changes


def test_a_job_delivered_twice_writes_once(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    batch = imported(client, [row(1)])
    with app.app_context():
        batches.run(batch)
    assert _batch(app, batch).created == 1 and _count(app, Customer) == 1


def test_a_batch_starts_once(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    batch = imported(client, [row(1)])
    assert start(client, batch).status_code == 303
    assert _count(app, Customer) == 1
