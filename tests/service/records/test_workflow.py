"""A record's course, its people and its versions (issue 12 req. 1–3): status steps with a
history, closing only after the customer's confirmation, reopening with a reason, transfers
with a reason, the manager's assignment, guarded edits and new versions after confirmation."""

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.models.service.records import (
    ServiceEvent,
    ServiceEventKind,
    ServiceRecord,
    ServiceStatus,
)
from tests.factories.service import make_service_record
from tests.support import fetch


@pytest.fixture
def record(app, team, customer):
    """A 待处理 record registered by cs1 and handled by cs1."""
    return make_service_record(app, team.cs1, customer, handler_id=team.cs1.id)


def _url(record, action: str = "") -> str:
    return f"/service/records/{record.id}{'/' + action if action else ''}"


def _status(client, record, to: str, reason: str = ""):
    response = client.post_form(_url(record, "status"), {"to": to, "reason": reason})
    assert response.status_code == 303 and response.headers["Location"].endswith(_url(record))
    return response


def _now(app, record) -> ServiceStatus:
    return fetch(app, ServiceRecord, record.id).status


def _events(app, record, kind: ServiceEventKind) -> list[ServiceEvent]:
    with app.app_context():
        return list(db.session.scalars(select(ServiceEvent).where(
            ServiceEvent.record_id == record.id, ServiceEvent.kind == kind)
            .order_by(ServiceEvent.id)))


def _confirm(client, record, **fields):
    data = {"satisfaction": "5", "method": "phone", "confirmed_by": "王经理",
            "confirmed_at": "2026-03-05T10:00", **fields}
    return client.post_form(_url(record, "confirmation"), data)


def _done(client, record) -> None:
    _status(client, record, "processing")
    _status(client, record, "done")


def test_the_course_with_pauses_is_in_the_history(app, client, team, record):
    """待处理 → 处理中 → 等待配件 → 处理中 → 已完成: each step a status event with from/to."""
    client.login("cs1")
    for to in ("processing", "waiting_parts", "processing", "done"):
        _status(client, record, to)
    steps = [(e.from_status.value, e.to_status.value, e.user_id)
             for e in _events(app, record, ServiceEventKind.STATUS)]
    assert steps == [("pending", "processing", team.cs1.id),
                     ("processing", "waiting_parts", team.cs1.id),
                     ("waiting_parts", "processing", team.cs1.id),
                     ("processing", "done", team.cs1.id)]
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(
            action="service_record_status", object_id=record.id).count() == 4


def test_a_step_the_course_lacks_is_refused(app, client, team, record):
    """待处理 cannot jump to 已完成 or 已关闭."""
    client.login("cs1")
    _status(client, record, "done")
    _status(client, record, "closed")
    assert _now(app, record) == ServiceStatus.PENDING


def test_closing_needs_the_customers_confirmation(app, client, team, record):
    """已关闭 only after the confirmation (satisfaction 1–5, method, who, when) is recorded."""
    client.login("cs1")
    _done(client, record)
    _status(client, record, "closed")
    assert _now(app, record) == ServiceStatus.DONE
    assert _confirm(client, record, satisfaction="6").status_code == 303
    assert fetch(app, ServiceRecord, record.id).confirmed_at is None
    _confirm(client, record)
    confirmed = fetch(app, ServiceRecord, record.id)
    assert (confirmed.satisfaction, confirmed.confirmation_method.value,
            confirmed.confirmed_by) == (5, "phone", "王经理")
    _status(client, record, "closed")
    assert _now(app, record) == ServiceStatus.CLOSED


def test_a_confirmation_without_a_name_is_the_contacts(app, client, team, record):
    """The stable interface posts satisfaction, method and time only: the record's 对接人
    (else the customer's contact person) is then recorded as who confirmed."""
    client.login("cs1")
    _done(client, record)
    _confirm(client, record, confirmed_by="")
    confirmed = fetch(app, ServiceRecord, record.id)
    assert confirmed.confirmed_by == (record.customer_contact or "王经理")
    assert confirmed.confirmed_at is not None


def test_confirmation_only_for_a_done_record(app, client, team, record):
    """A record still in hand cannot be confirmed by the customer."""
    client.login("cs1")
    _confirm(client, record)
    assert fetch(app, ServiceRecord, record.id).confirmed_at is None


def test_reopening_needs_a_reason_and_not_once_closed(app, client, team, record):
    """已完成 → 处理中 needs a reason and clears the confirmation; a closed record stays closed."""
    client.login("cs1")
    _done(client, record)
    _confirm(client, record)
    _status(client, record, "processing")
    assert _now(app, record) == ServiceStatus.DONE
    _status(client, record, "processing", "客户反映故障复现")
    reopened = fetch(app, ServiceRecord, record.id)
    assert reopened.status == ServiceStatus.PROCESSING and reopened.confirmed_at is None
    last = _events(app, record, ServiceEventKind.STATUS)[-1]
    assert last.reason == "客户反映故障复现" and json.loads(last.snapshot)["satisfaction"] == 5
    _status(client, record, "done")
    _confirm(client, record)
    _status(client, record, "closed")
    _status(client, record, "processing", "再次打开")
    assert _now(app, record) == ServiceStatus.CLOSED


def test_transfer_needs_a_reason_and_is_kept(app, client, team, record):
    """转交 to a 客服 colleague requires a reason; from, to and the reason are in the history."""
    client.login("cs1")
    client.post_form(_url(record, "transfer"), {"handler_id": str(team.cs2.id), "reason": ""})
    assert fetch(app, ServiceRecord, record.id).handler_id == team.cs1.id
    client.post_form(_url(record, "transfer"), {"handler_id": str(team.seller.id),
                                                "reason": "销售更熟悉"})
    assert fetch(app, ServiceRecord, record.id).handler_id == team.cs1.id  # not 客服部
    client.post_form(_url(record, "transfer"), {"handler_id": str(team.cs2.id),
                                                "reason": "需要现场支持"})
    assert fetch(app, ServiceRecord, record.id).handler_id == team.cs2.id
    [event] = _events(app, record, ServiceEventKind.TRANSFERRED)
    assert (event.from_user_id, event.to_user_id, event.reason) == (
        team.cs1.id, team.cs2.id, "需要现场支持")
    page = client.get(_url(record)).get_data(as_text=True)
    assert "需要现场支持" in page  # cs1 registered it: still reads it


def test_the_manager_assigns_the_handler(app, client, team, customer):
    """Only the 客服 manager assigns a 负责人; staff get 403."""
    record = make_service_record(app, team.risk, customer)
    client.login("cs1")
    assert client.post_form(_url(record, "assign"),
                            {"handler_id": str(team.cs1.id)}).status_code == 404
    client.login("cs_mgr")
    assert client.post_form(_url(record, "assign"),
                            {"handler_id": str(team.cs2.id)}).status_code == 303
    assert fetch(app, ServiceRecord, record.id).handler_id == team.cs2.id
    [event] = _events(app, record, ServiceEventKind.ASSIGNED)
    assert event.to_user_id == team.cs2.id
    client.login("cs2")
    assert client.get(_url(record)).status_code == 200


def _edit_form(record, version: int, **fields) -> dict:
    return {"service_type": "aftersales", "after_sales_kind": "repair", "priority": "medium",
            "content": "更换电源模块", "version": str(version), **fields}


def test_first_receiver_never_changes(app, client, team, record):
    """首问责任人 = the registrar, whatever an edit posts."""
    client.login("cs1")
    client.post_form(_url(record, "edit"), _edit_form(record, 1,
                                                       first_receiver_id=str(team.cs2.id)))
    saved = fetch(app, ServiceRecord, record.id)
    assert saved.content == "更换电源模块" and saved.first_receiver_id == team.cs1.id


def test_concurrent_edits_never_overwrite_silently(app, client, team, record):
    """Two forms opened on version 1: the second save is refused (422), nothing overwritten."""
    client.login("cs1")
    assert client.post_form(_url(record, "edit"), _edit_form(record, 1)).status_code == 303
    stale = client.post_form(_url(record, "edit"), _edit_form(record, 1, content="另一改动"))
    assert stale.status_code == 422 and "已被他人修改" in stale.get_data(as_text=True)
    saved = fetch(app, ServiceRecord, record.id)
    assert (saved.content, saved.version) == ("更换电源模块", 2)


def test_after_confirmation_an_edit_is_a_new_version(app, client, team, record):
    """Once confirmed, an edit needs a reason and keeps what it replaced (name, time, reason)."""
    client.login("cs1")
    _done(client, record)
    _confirm(client, record)
    version = fetch(app, ServiceRecord, record.id).version
    refused = client.post_form(_url(record, "edit"), _edit_form(record, version))
    assert refused.status_code == 422
    saved = client.post_form(_url(record, "edit"),
                             _edit_form(record, version, reason="补充维修内容"))
    assert saved.status_code == 303
    [event] = _events(app, record, ServiceEventKind.REVISED)
    assert (event.user_id, event.reason) == (team.cs1.id, "补充维修内容")
    assert json.loads(event.snapshot)["content"] == "设备无法开机,请求上门检修"
    assert fetch(app, ServiceRecord, record.id).content == "更换电源模块"


def test_sla_deadlines_are_stored_and_shown(app, client, team, record):
    """After a status change the SLA columns are filled and shown as ISO attributes."""
    client.login("cs1")
    _status(client, record, "processing")
    stored = fetch(app, ServiceRecord, record.id)
    assert stored.response_due is not None and stored.resolution_due is not None
    page = client.get(_url(record)).get_data(as_text=True)
    assert f'data-sla-resolution="{stored.resolution_due.isoformat()}"' in page
    assert 'data-status="processing"' in page
