"""Registering service records (issue 12 req. 1 and 8; 首问负责制, 002 L30–44)."""

import re
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import Department, DeptCode, NumberCounter
from app.models.notifications import Notification
from app.models.service.records import ServiceEvent, ServicePart, ServiceRecord, ServiceStatus
from app.services.service.records.numbering import counter_key
from tests.factories.service import make_service_record
from tests.support import fetch

NEW = "/service/records/new"


def _form(customer, **fields) -> dict:
    return {"customer_id": str(customer.id), "service_type": "presales", "priority": "high",
            "content": "客户咨询新产品报价", **fields}


def _created(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/service/records/(\d+)$", response.headers["Location"]).group(1))


def _record(app, record_id: int) -> ServiceRecord:
    return fetch(app, ServiceRecord, record_id)


def test_another_department_registers_and_keeps_read(app, client, team, customer):
    """首问负责制: a risk officer registers a record for any customer; it routes to 客服部, its
    首问责任人 is the registrar, and the registrar keeps read access (edit is 客服's)."""
    client.login("risk1")
    record_id = _created(client.post_form(NEW, _form(customer)))
    record = _record(app, record_id)
    with app.app_context():
        service = db.session.scalar(select(Department.id).where(
            Department.code == DeptCode.SERVICE))
    assert record.department_id == service
    assert record.first_receiver_id == team.risk.id and record.handler_id is None
    assert record.status == ServiceStatus.PENDING
    assert client.get(f"/service/records/{record_id}").status_code == 200
    assert client.get(f"/service/records/{record_id}/edit").status_code == 403


def test_numbers_are_customer_number_plus_sequence(app, client, team, customer):
    """服务编号 = 客户编号 + a sequence per customer (001, 002...), shown on the page."""
    client.login("cs1")
    first = _record(app, _created(client.post_form(NEW, _form(customer))))
    second = _record(app, _created(client.post_form(NEW, _form(customer))))
    assert first.number == f"{customer.number}-001" and first.sequence == 1
    assert second.number == f"{customer.number}-002"
    page = client.get(f"/service/records/{second.id}").get_data(as_text=True)
    assert second.number in page and 'data-status="pending"' in page


def test_sequence_grows_past_999(app, client, team, customer):
    """The sequence is an int: after 999 comes 1000, not a wrapped or truncated number."""
    with app.app_context():
        db.session.add(NumberCounter(key=counter_key(customer.id), value=999))
        db.session.commit()
    client.login("cs1")
    record = _record(app, _created(client.post_form(NEW, _form(customer))))
    assert record.number == f"{customer.number}-1000" and record.sequence == 1000


def test_a_refused_record_uses_no_number_and_numbers_are_never_reused(app, client, team,
                                                                       customer):
    """A refused form writes nothing and takes no number; a number taken by a record made
    elsewhere (the factory shares the counter) is never given again."""
    client.login("cs1")
    refused = client.post_form(NEW, _form(customer, service_type="aftersales"))
    assert refused.status_code == 422
    make_service_record(app, team.cs1, customer)  # takes -001
    record = _record(app, _created(client.post_form(NEW, _form(customer))))
    assert record.number == f"{customer.number}-002"


def test_aftersales_needs_its_kind_and_others_refuse_one(app, client, team, customer):
    """售后维护 requires 维修/保养/安装/退换货/其他; any other type refuses a kind."""
    client.login("cs1")
    missing = client.post_form(NEW, _form(customer, service_type="aftersales"))
    assert missing.status_code == 422 and "售后服务类别" in missing.get_data(as_text=True)
    extra = client.post_form(NEW, _form(customer, after_sales_kind="repair"))
    assert extra.status_code == 422
    record = _record(app, _created(client.post_form(
        NEW, _form(customer, service_type="aftersales", after_sales_kind="repair"))))
    assert record.after_sales_kind.value == "repair"
    with app.app_context():
        assert db.session.scalar(select(ServiceRecord.id).where(
            ServiceRecord.after_sales_kind.is_(None))) is None


def test_defaults_come_from_the_customer_and_the_phone_is_masked(app, client, team, customer):
    """联系电话, 服务地点 and the delivery address default to the customer's; the phone is
    masked on the page."""
    client.login("cs1")
    record = _record(app, _created(client.post_form(NEW, _form(customer))))
    assert record.contact_phone == "13812345678"
    assert record.delivery_address == record.place == "北京市海淀区中关村大街1号"
    page = client.get(f"/service/records/{record.id}").get_data(as_text=True)
    assert "138****5678" in page and "13812345678" not in page


def test_customer_number_is_accepted(app, client, team, customer):
    """Scripts post customer_number instead of the picker's id."""
    client.login("cs1")
    data = _form(customer, customer_number=customer.number)
    del data["customer_id"]
    record = _record(app, _created(client.post_form(NEW, data)))
    assert record.customer_id == customer.id


def test_parts_amounts_are_decimal(app, client, team, customer):
    """Each part's amount is quantity × unit price in Decimal to the fen; quantity must be
    above zero and the price not negative."""
    client.login("cs1")
    parts = {"parts-0-name": "主板", "parts-0-quantity": "3", "parts-0-unit_price": "0.10",
             "parts-0-sold": "y", "parts-1-name": "螺丝", "parts-1-quantity": "1.5",
             "parts-1-unit_price": "1.005"}
    refused = client.post_form(NEW, _form(customer, **parts))
    assert refused.status_code == 422  # three decimals in a price
    parts["parts-1-unit_price"] = "1.01"
    record_id = _created(client.post_form(NEW, _form(customer, **parts)))
    with app.app_context():
        rows = db.session.scalars(select(ServicePart).where(ServicePart.record_id == record_id)
                                  .order_by(ServicePart.position)).all()
        assert [(p.amount, p.sold) for p in rows] == [(Decimal("0.30"), True),
                                                      (Decimal("1.52"), False)]
    for bad in ({"parts-0-quantity": "0"}, {"parts-0-quantity": "-1"},
                {"parts-0-unit_price": "-0.01"}):
        data = _form(customer, **{**parts, **bad})
        assert client.post_form(NEW, data).status_code == 422


def test_major_notifies_the_gm_at_once(app, client, team, customer):
    """「凡涉及到单位重大事项,第一责任者要立即向总经理汇报」: a 重大 record notifies the GM."""
    client.login("sales2")
    record_id = _created(client.post_form(NEW, _form(customer, major="y")))
    with app.app_context():
        notices = db.session.scalars(select(Notification).where(
            Notification.user_id == team.gm.id)).all()
        assert [n.kind for n in notices] == ["service_major"]
        assert str(record_id) in notices[0].link_args
    client.post_form(NEW, _form(customer))
    with app.app_context():
        assert db.session.query(Notification).filter_by(user_id=team.gm.id).count() == 1


def test_history_starts_with_the_registration(app, client, team, customer):
    """The first event is 登记, to 待处理, by the registrar."""
    client.login("cs1")
    record_id = _created(client.post_form(NEW, _form(customer)))
    with app.app_context():
        event = db.session.scalars(select(ServiceEvent).where(
            ServiceEvent.record_id == record_id)).one()
        assert (event.kind.value, event.to_status, event.user_id) == (
            "created", ServiceStatus.PENDING, team.cs1.id)


def test_the_one_time_token_makes_one_record(app, client, team, customer):
    """A double-click posts the same token twice: one record, the same answer."""
    client.login("cs1")
    data = _form(customer, once_token=client.get(NEW) and _token(client))
    first, second = client.post_form(NEW, data), client.post_form(NEW, data)
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.query(ServiceRecord).count() == 1


def _token(client) -> str:
    from tests.support import form_token

    return form_token(client)


def test_admin_and_gm_cannot_register(client, team, customer):
    """The GM reads; administrators and auditors see no business data."""
    client.login("gm")
    assert client.get(NEW).status_code == 403


def test_parts_rows_are_added_and_removed_by_posting_back(client, team, customer):
    """添加配件 posts the form back with one more row (nothing saved); 删除 removes it."""
    client.login("cs1")
    added = client.post_form(NEW, _form(customer, op="add-part"))
    assert added.status_code == 200 and added.get_data(as_text=True).count(
        'class="record-part"') == 1
    removed = client.post_form(NEW, _form(customer, op="remove-part-0",
                                          **{"parts-0-name": "主板"}))
    assert 'class="record-part"' not in removed.get_data(as_text=True)
