"""离职交接 reaches 客服部: a departed salesperson's open service records (负责人) and due return
visits (回访人) go to the successor in the same step, each record with a 转交 history entry, and
the move is audited; closed work stays as it was, and a successor not cleared for every open
record is refused with nothing moved."""

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Level
from app.models.service.records import ServiceEvent, ServiceEventKind, ServiceRecord, ServiceStatus
from app.models.service.visits import ReturnVisit, ReturnVisitStatus, VisitKind, VisitSubject
from tests.factories.customers import make_customer
from tests.factories.people import deactivate, make_people
from tests.factories.service import make_service_record
from tests.support import PASSWORD


def _visit(app, record, assignee) -> int:
    """A due 服务回访 of `record`, for `assignee`."""
    with app.app_context():
        visit = ReturnVisit(subject_type=VisitSubject.SERVICE, subject_id=record.id,
                            customer_id=record.customer_id, kind=VisitKind.AFTER_SERVICE,
                            due_date=date(2026, 12, 20), assignee_id=assignee.id,
                            department_id=record.department_id,
                            confidentiality=record.confidentiality,
                            status=ReturnVisitStatus.DUE)
        db.session.add(visit)
        db.session.commit()
        return visit.id


@pytest.fixture
def team(app):
    people = make_people(app, "leaver", "sales2", "sales_mgr", "cs1")
    customer = make_customer(app, people["leaver"], name="交接测试客户有限公司")
    leaver = people["leaver"].id
    people["open"] = make_service_record(app, people["cs1"], customer, handler_id=leaver,
                                         status=ServiceStatus.PROCESSING)
    people["done"] = make_service_record(app, people["cs1"], customer, handler_id=leaver,
                                         status=ServiceStatus.DONE)
    people["visit"] = _visit(app, people["open"], people["leaver"])
    deactivate(app, people["leaver"])
    return people


def _hand_over(client, team):
    client.login("sales_mgr")
    return client.post_form(f"/sales/reassign/{team['leaver'].id}",
                            {"to": team["sales2"].id, "password": PASSWORD})


def test_open_records_and_due_visits_follow_the_successor(app, client, team):
    """Open records and due visits move with a 转交 entry and an audit event; done work stays."""
    assert _hand_over(client, team).status_code == 303
    with app.app_context():
        get = db.session.get
        assert get(ServiceRecord, team["open"].id).handler_id == team["sales2"].id
        assert get(ServiceRecord, team["done"].id).handler_id == team["leaver"].id
        assert get(ReturnVisit, team["visit"]).assignee_id == team["sales2"].id
        event = db.session.scalar(select(ServiceEvent).where(
            ServiceEvent.record_id == team["open"].id,
            ServiceEvent.kind == ServiceEventKind.TRANSFERRED))
        assert (event.from_user_id, event.to_user_id) == (team["leaver"].id, team["sales2"].id)
        assert "离职交接" in event.reason
        audited = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "service_handed_over"))
        assert team["open"].number in audited.changes
        assert team["done"].number not in audited.changes


def test_a_successor_below_an_open_records_level_is_refused(app, client, team):
    """An open record above the successor's clearance blocks the whole hand-over."""
    with app.app_context():
        db.session.get(ServiceRecord, team["open"].id).confidentiality = Level.SECRET
        db.session.commit()
    response = _hand_over(client, team)
    assert response.status_code == 422
    assert "其他部门未办结的记录" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ServiceRecord, team["open"].id).handler_id == team["leaver"].id
        assert db.session.get(ReturnVisit, team["visit"]).assignee_id == team["leaver"].id
