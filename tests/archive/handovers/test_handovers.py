"""归档移交单: a department hands over its signed records, the archivist accepts (filed and
checked at receipt) or rejects each line with a reason (issue 13 requirements 2 and 9)."""

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import AuditEvent
from app.models.archive import (
    ArchiveFilingRun,
    ArchiveHandover,
    ArchiveItem,
    HandoverLineStatus,
    RetentionRule,
)
from app.services.archive import store
from app.services.archive.filing import file_record as real_file_record
from app.services.archive.handovers import receipt
from tests.archive.handovers.builders import lines_of, submit
from tests.factories.approvals import approved_customer
from tests.factories.archive import file_as
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.support import form_token, pdf_text

S = HandoverLineStatus


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_picker_offers_the_departments_signed_unfiled_records_the_user_sees(
        app, client, team):
    """Offered: signed and not filed, of the user's scope; not a draft, nor a filed one, nor one
    already on an open list."""
    signed = approved_customer(app, team, name="待移交客户甲")
    filed = approved_customer(app, team, name="已归档客户乙")
    file_as(app, team.archivist, "Customer", filed.id)
    listed = approved_customer(app, team, name="已在移交单客户丙")
    submit(app, team.staff, ("Customer", listed.id))
    make_customer(app, team.staff, name="草稿客户丁")
    client.login("sales1")
    page = client.get("/archive/handovers/new?kind=Customer").get_data(as_text=True)
    assert "待移交客户甲" in page
    assert not any(name in page for name in ("已归档客户乙", "已在移交单客户丙", "草稿客户丁"))
    assert f'value="{signed.id}"' in page


def test_a_department_user_submits_a_list_naming_each_signed_version(app, client, team):
    """POST record_kind + record_id makes a list of the user's department, its lines waiting
    at the records' signed versions; audited."""
    first = approved_customer(app, team, name="移交客户一")
    second = approved_customer(app, team, name="移交客户二")
    client.login("sales1")
    response = client.post_form("/archive/handovers/new", {
        "record_kind": "Customer", "record_id": [str(first.id), str(second.id)],
        "note": "第一季度客户档案"})
    assert response.status_code == 303
    with app.app_context():
        handover = db.session.scalars(select(ArchiveHandover)).one()
        assert (handover.submitted_by_id, handover.department_id) == (
            team.staff.id, team.staff.department_id)
    lines = lines_of(app, handover.id)
    assert [(x.record_id, x.record_version, x.status) for x in lines] == [
        (first.id, 1, S.PENDING), (second.id, 1, S.PENDING)]
    assert "archive_handover_submitted" in _actions(app)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "移交客户一" in page and handover.number in page


def test_a_record_the_picker_would_not_offer_is_refused(app, client, team):
    """Another salesperson's customer, a draft, or an unknown kind: 422, nothing saved."""
    draft = make_customer(app, team.staff)
    theirs = approved_customer(app, team)
    make_people(app, "sales2")
    client.login("sales2")
    for data in ({"record_kind": "Customer", "record_id": str(theirs.id)},
                 {"record_kind": "Customer", "record_id": str(draft.id)},
                 {"record_kind": "AuditTrail", "record_id": str(theirs.id)},
                 {"record_kind": "Customer", "record_id": "abc"},
                 {"record_kind": "Customer"}):
        response = client.post_form("/archive/handovers/new", data)
        assert response.status_code == 422, data
    assert _count(app, ArchiveHandover) == 0


def test_accepted_lines_are_filed_as_handed_over_and_checked_at_receipt(app, client, team):
    """Accepting files the record (filed by the department's submitter, received by the
    archivist), checks the stored copy (fixity.verify) and says so on the line; audited."""
    customer = approved_customer(app, team)
    handover = submit(app, team.staff, ("Customer", customer.id))
    line = lines_of(app, handover.id)[0]
    client.login("archivist")
    response = client.post_form(f"/archive/handovers/{handover.id}/accept",
                                {"item_ids": str(line.id)})
    assert response.status_code == 303
    line = lines_of(app, handover.id)[0]
    assert line.status == S.FILED and line.decided_by_id == team.archivist.id
    with app.app_context():
        item = db.session.get(ArchiveItem, line.item_id)
        assert (item.filed_by_id, item.received_by_id) == (team.staff.id, team.archivist.id)
        assert item.last_checked_at is not None
    assert {"archive_handover_accepted", "archive_filed", "archive_receipt_checked"} <= set(
        _actions(app))


def test_accepting_twice_files_once(app, client, team):
    """A second accept of the same lines (a double click with a fresh token, or the same
    token again) files nothing more and starts no second run."""
    customer = approved_customer(app, team)
    handover = submit(app, team.staff, ("Customer", customer.id))
    line_id = lines_of(app, handover.id)[0].id
    client.login("archivist")
    token = form_token(client)
    url = f"/archive/handovers/{handover.id}/accept"
    for data in ({"item_ids": str(line_id), "once_token": token},
                 {"item_ids": str(line_id), "once_token": token},
                 {"item_ids": str(line_id)}):
        assert client.post_form(url, data).status_code == 303
    assert _count(app, ArchiveItem) == 1
    assert _count(app, ArchiveFilingRun) == 1
    assert "所选记录都已处理过" in client.get(f"/archive/handovers/{handover.id}").get_data(
        as_text=True)


def test_rejecting_needs_a_reason_and_returns_the_line(app, client, team):
    """Without a reason nothing changes; with one the line is returned with it, audited, and
    the record can be handed over again."""
    customer = approved_customer(app, team)
    handover = submit(app, team.staff, ("Customer", customer.id))
    line_id = lines_of(app, handover.id)[0].id
    client.login("archivist")
    url = f"/archive/handovers/{handover.id}/reject"
    client.post_form(url, {"item_ids": str(line_id), "reason": "  "})
    assert lines_of(app, handover.id)[0].status == S.PENDING
    client.post_form(url, {"item_ids": str(line_id), "reason": "缺少盖章页"})
    line = lines_of(app, handover.id)[0]
    assert (line.status, line.reason) == (S.REJECTED, "缺少盖章页")
    assert "archive_handover_rejected" in _actions(app)
    again = submit(app, team.staff, ("Customer", customer.id))
    assert lines_of(app, again.id)[0].status == S.PENDING


def test_a_copy_failing_its_receipt_check_is_reported(app, client, team, monkeypatch):
    """A stored copy damaged between filing and receipt: the line says 接收检查未通过 with the
    problem, and the audit trail records the failure (never taken silently)."""
    def damaging(record_type, record_id, actor, received_by=None):
        item = real_file_record(record_type, record_id, actor, received_by)
        data = bytearray(store.read(item.storage_path))
        data[len(data) // 2] ^= 0xFF
        store.store(item.storage_path, bytes(data))
        return item

    monkeypatch.setattr(receipt, "file_record", damaging)
    customer = approved_customer(app, team)
    handover = submit(app, team.staff, ("Customer", customer.id))
    client.login("archivist")
    client.post_form(f"/archive/handovers/{handover.id}/accept",
                     {"item_ids": str(lines_of(app, handover.id)[0].id)})
    line = lines_of(app, handover.id)[0]
    assert line.status == S.CHECK_FAILED and "sha256: recorded" in line.reason
    assert "archive_receipt_check_failed" in _actions(app)


def test_a_record_that_cannot_be_filed_is_refused_with_the_reason(app, client, team):
    """Filing refused (here: no retention rule for customers): the line says 不能归档 with the
    filing's own message; nothing is filed."""
    customer = approved_customer(app, team)
    handover = submit(app, team.staff, ("Customer", customer.id))
    with app.app_context():
        db.session.execute(delete(RetentionRule).where(RetentionRule.record_type == "Customer"))
        db.session.commit()
    client.login("archivist")
    client.post_form(f"/archive/handovers/{handover.id}/accept",
                     {"item_ids": str(lines_of(app, handover.id)[0].id)})
    line = lines_of(app, handover.id)[0]
    assert line.status == S.REFUSED and "保管期限" in line.reason
    assert _count(app, ArchiveItem) == 0
    assert "archive_filing_refused" in _actions(app)


def test_the_list_prints_with_who_handed_over(app, client, team):
    """归档移交单 prints the list's number, the submitter and its lines; audited as a print."""
    customer = approved_customer(app, team, name="打印移交客户")
    handover = submit(app, team.staff, ("Customer", customer.id))
    client.login("sales_mgr")
    response = client.get(f"/archive/handovers/{handover.id}/print.pdf")
    text = pdf_text(response.data)
    assert handover.number in text and "打印移交客户" in text and "李晓明" in text
    assert "print" in _actions(app)
