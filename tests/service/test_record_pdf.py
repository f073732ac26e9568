"""客户服务记录表 as PDF (004 表2 in the 003 frame): both 联 in one file, each with its own page
count, the header, the fields, parts and follow-ups, the signature block, the phone masked, the
viewer's watermark from 秘密 up; print follows view and is audited."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Level
from app.models.service.follow_ups import FollowUpResult, ServiceFollowUp
from app.models.service.records import AfterSalesKind, ServicePart, ServiceStatus, ServiceType
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.service import make_service_record
from tests.support import pdf_reader, pdf_text


def _record(app, level=Level.INTERNAL):
    users = make_people(app, "sales1", "sales_top", "cs1", "cs_mgr", "gm", "risk1")
    owner = users["sales1"] if level <= Level.INTERNAL else users["sales_top"]
    customer = make_customer(app, owner, confidentiality=level, name="打印测试客户有限公司")
    record = make_service_record(
        app, users["cs1"], customer, handler_id=users["cs1"].id,
        service_type=ServiceType.AFTERSALES, after_sales_kind=AfterSalesKind.REPAIR,
        service_at=datetime(2026, 3, 10, 14, 30), content="客户反馈设备运行卡顿，请求远程排查",
        customer_contact="王经理", contact_phone="13812345678", status=ServiceStatus.DONE,
        solution="已安排工程师远程协助", feedback="等待进一步处理，希望尽快解决", satisfaction=3)
    with app.app_context():
        db.session.add(ServicePart(record_id=record.id, position=1, name="电源模块",
                                   quantity=Decimal("2"), sold=True,
                                   unit_price=Decimal("60.25"), amount=Decimal("120.50")))
        db.session.add(ServiceFollowUp(record_id=record.id, user_id=users["cs1"].id,
                                       communicated_at=datetime(2026, 3, 11, 9),
                                       points="电话确认故障已排除",
                                       result=FollowUpResult.RESOLVED, late=True))
        db.session.commit()
    return users, record


def test_both_parts_are_printed_with_the_header_and_fields(app, client):
    """第一联 客户存档 then 第二联 公司存档, each with 填制部门 客服部, 档案编号 = the record's
    number, the 表2 fields, the part, the follow-up (补录) and 负责人 / 客户确认 / 审核."""
    _users, record = _record(app)
    client.login("cs1")
    response = client.get(f"/service/records/{record.id}/print.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = [page.extract_text() for page in pdf_reader(response.data).pages]
    first = [i for i, text in enumerate(pages) if "第一联\u3000客户存档" in text]
    second = [i for i, text in enumerate(pages) if "第二联\u3000公司存档" in text]
    assert first and second and max(first) < min(second)
    for part in (pages[first[0]], pages[second[0]]):
        for words in ("客户服务记录表", "填制部门", "客服部", "档案编号", record.number,
                      "售后维护", "2026-03-10 14:30", "客户反馈设备运行卡顿", "3 分（一般）",
                      "电源模块", "120.50", "负责人", "客户确认", "审核", "138****5678"):
            assert words in part.replace("\n", ""), words


def test_each_part_counts_its_own_pages(app, client):
    """The footer of each 联 says 第 1 页 / 共 n 页 of that 联, not of the whole file."""
    _users, record = _record(app)
    client.login("cs1")
    pages = [page.extract_text() for page in pdf_reader(
        client.get(f"/service/records/{record.id}/print.pdf").data).pages]
    assert sum("第 1 页 / 共" in text for text in pages) == 2


def test_the_phone_is_masked(app, client):
    """联系电话 prints as 138****5678; the number itself is nowhere in the file."""
    _users, record = _record(app)
    client.login("cs1")
    text = pdf_text(client.get(f"/service/records/{record.id}/print.pdf").data)
    flat = text.replace("\n", "").replace(" ", "")
    assert "138****5678" in flat and "13812345678" not in flat


def test_a_secret_record_carries_the_viewers_watermark(app, client):
    """秘密 and above: the viewer's name and employee number across each page."""
    _users, record = _record(app, Level.SECRET)
    client.login("cs_mgr")
    response = client.get(f"/service/records/{record.id}/print.pdf")
    assert response.status_code == 200
    with app.app_context():
        from app.models import User
        mgr = db.session.scalar(select(User).where(User.username == "cs_mgr"))
        mark = f"{mgr.full_name} · {mgr.employee_no}"
    pages = [page.extract_text() for page in pdf_reader(response.data).pages]
    assert all(mark in text for text in pages)


def test_print_follows_view_and_is_audited(app, client):
    """cs1 (the record's 负责人) prints it and the print is in the audit trail; risk1, who may
    not see it, gets 404; the GM prints it too."""
    _users, record = _record(app)
    client.login("risk1")
    assert client.get(f"/service/records/{record.id}/print.pdf").status_code == 404
    client.login("gm")
    assert client.get(f"/service/records/{record.id}/print.pdf").status_code == 200
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "print", AuditEvent.object_type == "ServiceRecord",
            AuditEvent.object_id == record.id)).all()
    assert len(events) == 1 and "客户服务记录表" in events[0].changes
