"""The after-sales ledger's import (售后服务台账 000 L2–14, 登记表 001 L26–47) through the import
kit: dry run, run, reconciliation and failed rows. Each test states its rule."""

import io
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import Customer, DuplicateRule, ImportBatch, User
from app.models.service.follow_ups import FollowUpResult, ServiceFollowUp
from app.models.service.records import AfterSalesKind, ServiceRecord, ServiceStatus
from app.services.imports import batches
from app.services.imports.errors import BadFile
from tests.factories.customers import make_customer
from tests.factories.people import make_people

HEADER = ["客户名称", "联系电话", "电子邮箱", "地址", "服务类型", "服务时间", "服务地点",
          "服务内容", "服务结果", "客户反馈", "服务完成情况", "服务质量评价", "员工信息",
          "跟进时间", "跟进人员", "跟进结果", "备注"]


def workbook(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(h) for h in HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(**values) -> dict:
    base = {"客户名称": "华信科技有限公司", "服务类型": "维修", "服务时间": "2026-03-02",
            "服务内容": "更换主板", "服务结果": "已修复", "服务质量评价": 9,
            "员工信息": "孙服务 客服专员", "跟进时间": "2026-03-05", "跟进人员": "C3001",
            "跟进结果": "已解决", "电子邮箱": "it@huaxin.cn"}
    base.update(values)
    return base


@pytest.fixture
def team(app):
    people = make_people(app, "cs1", "cs2", "sales1", named=True)
    people["customer"] = make_customer(app, people["sales1"], name="华信科技有限公司")
    return people


def _run(app, user, data: bytes, rule=DuplicateRule.SKIP):
    """The dry run, then the run; the batch's id and its dry-run entries."""
    with app.app_context():
        actor = db.session.get(User, user.id)
        batch = batches.check_upload(actor, "service_records", "台账.xlsx", data, rule)
        entries = json.loads(batch.preview)
        batches.start(batch, rule, actor)
        db.session.commit()
        batch_id = batch.id
    with app.app_context():
        batches.run(batch_id)
    return batch_id, entries


def test_rows_become_numbered_records_with_their_follow_up(app, team):
    """A row makes a 售后维护 record numbered customer number + sequence, its 负责人 from 员工信息,
    已完成 because it has a result, 9/10 scored ⌈9/2⌉ = 5, and a follow-up by 跟进人员."""
    batch_id, entries = _run(app, team["cs1"], workbook(row(), row(服务内容="保养",
                                                                  服务质量评价=3)))
    assert [e[2] for e in entries] == ["create", "create"]
    with app.app_context():
        records = db.session.scalars(select(ServiceRecord).order_by(ServiceRecord.id)).all()
        customer_number = records[0].number.rsplit("-", 1)[0]
        assert [r.number for r in records] == [f"{customer_number}-001",
                                                f"{customer_number}-002"]
        first = records[0]
        assert first.after_sales_kind == AfterSalesKind.REPAIR
        assert first.status == ServiceStatus.DONE
        assert first.handler_id == team["cs2"].id
        assert [r.satisfaction for r in records] == [5, 2]
        assert "it@huaxin.cn" in first.remarks
        follow_up = db.session.scalar(select(ServiceFollowUp).where(
            ServiceFollowUp.record_id == first.id))
        assert (follow_up.user_id, follow_up.result) == (team["cs1"].id, FollowUpResult.RESOLVED)
        batch = db.session.get(ImportBatch, batch_id)
        assert (batch.created, batch.failed, batch.total_rows) == (2, 0, 2)


def test_an_unknown_customer_fails_its_row_and_is_never_created(app, team):
    """A customer the master does not hold is a failed row with the reason; the other rows are
    written, and the counts reconcile (rows = created + skipped + failed)."""
    batch_id, entries = _run(app, team["cs1"], workbook(row(客户名称="不存在的客户公司"), row()))
    assert entries[0][2] == "error" and "客户档案中找不到客户「不存在的客户公司」" in entries[0][3]
    with app.app_context():
        batch = db.session.get(ImportBatch, batch_id)
        assert (batch.created, batch.failed) == (1, 1)
        assert batch.created + batch.updated + batch.skipped + batch.failed == batch.total_rows
        assert batch.failed_rows is not None
        assert db.session.scalar(select(func.count()).select_from(ServiceRecord)) == 1
        assert db.session.scalar(select(func.count()).where(
            Customer.name == "不存在的客户公司")) == 0


@pytest.mark.parametrize(("score", "problem"), [(11, "须为 1 到 10 的整数"),
                                                ("七", "须为 1 到 10 的整数"),
                                                ("²", "须为 1 到 10 的整数")])
def test_a_score_outside_one_to_ten_fails_the_row(app, team, score, problem):
    """服务质量评价 is 1–10 (001 L36): anything else fails the row, nothing is guessed."""
    _batch, entries = _run(app, team["cs1"], workbook(row(服务质量评价=score)))
    assert entries[0][2] == "error" and problem in entries[0][3]


def test_a_repeated_row_is_skipped(app, team):
    """The same customer, service date and content again is a duplicate: skipped, not doubled."""
    _run(app, team["cs1"], workbook(row()))
    _batch, entries = _run(app, team["cs1"], workbook(row(), row()))
    assert [e[2] for e in entries] == ["skip", "skip"]


def test_unknown_staff_fail_the_row(app, team):
    """员工信息 and 跟进人员 must name active 客服部 people (by name or 工号)."""
    _batch, entries = _run(app, team["cs1"], workbook(row(跟进人员="李晓明")))
    assert entries[0][2] == "error" and "不是客服部在职人员" in entries[0][3]


def test_only_service_people_import_service_records(app, team):
    """A salesperson's upload of the after-sales ledger is refused as a whole."""
    with app.app_context(), pytest.raises(BadFile):
        batches.check_upload(db.session.get(User, team["sales1"].id), "service_records",
                             "台账.xlsx", workbook(row()), DuplicateRule.SKIP)
