"""The customer service department's demo data (`flask demo-data`): every service page shows the
客服 manager something, every status of a service record appears, and the year holds the cases
a manager must see (breaches, 补录 and overdue follow-ups, overdue return visits, a call on a
调休 workday, 重大 records, parts used and sold, the National Day roster, fault reports), all
made by the services so that the stored SLA deadlines are those of the records' history."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import (
    OPEN_STATUSES,
    ServicePart,
    ServiceRecord,
    ServiceStatus,
)
from app.models.service.roster import DutyShift, FaultReport, FaultStatus
from app.models.service.visits import ReturnVisit, ReturnVisitStatus, VisitKind
from app.services.core.worktime import WORK, calendar_for
from app.services.service.sla import deadlines
from app.timeutil import local_now, local_today

PAGES = {  # page → the marker each of its rows carries
    "/service/records/": 'data-record="',
    "/service/follow-ups/": 'data-record="',
    "/service/visits/": 'data-visit="',
    "/service/roster/": 'id="duty-',
    "/service/faults/": 'id="fault-',
}


def _count(model, *where) -> int:
    """How many rows of `model` match."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def demo(app):
    """The database after `flask demo-data`, and the 客服 manager signed in."""
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "service records" in result.output
    client = app.test_client()
    client.login("cs_mgr", app.config["DEMO_PASSWORD"])
    return client


def _pages_have_rows(client) -> None:
    """Each service page lists rows; the statistics count something."""
    for url, marker in PAGES.items():
        page = client.get(url)
        assert page.status_code == 200, url
        assert marker in page.get_data(as_text=True), f"{url} shows no rows"
    statistics = client.get("/service/statistics/").get_data(as_text=True)
    assert 'id="empty"' not in statistics
    counts = re.findall(r'data-figure="[^"]+">([\d,.]+)<', statistics)
    assert any(value not in ("0", "0.0") for value in counts), "the statistics show nothing"


def _every_status_listed(client) -> None:
    """Filtering the list by each status shows a record in it."""
    for status in ServiceStatus:
        page = client.get(f"/service/records/?status={status.value}").get_data(as_text=True)
        assert f'data-status="{status.value}"' in page, status


def _stored_deadlines_match_the_history() -> None:
    """Recomputing each record's SLA from its history changes nothing."""
    records = list(db.session.scalars(select(ServiceRecord)))
    stored = [deadlines.values(_as_deadlines(r)) for r in records]
    now = deadlines.local_wall_clock()
    for record in records:
        deadlines.refresh(record, now)
    assert [deadlines.values(_as_deadlines(r)) for r in records] == stored
    db.session.rollback()


def _as_deadlines(record: ServiceRecord):
    """The record's stored SLA columns, as the clock's result."""
    return deadlines.clock.Deadlines(record.sla_policy_id, record.responded_at,
                                     record.response_due, record.resolution_due,
                                     record.response_breached, record.resolution_breached)


def _the_cases_a_manager_must_see() -> None:
    """Breaches, 补录, overdue follow-ups and visits, parts, faults, the roster, 调休."""
    now = local_now().replace(tzinfo=None)
    today = local_today()
    assert _count(ServiceRecord, ServiceRecord.response_breached.is_(True))
    assert _count(ServiceRecord, ServiceRecord.resolution_breached.is_(True))
    assert _count(ServiceRecord, ServiceRecord.major.is_(True)) >= 2
    assert _count(ServiceRecord, ServiceRecord.abandoned.is_(True))
    assert _count(ServiceFollowUp, ServiceFollowUp.late.is_(True))
    assert _count(ServiceFollowUp, ServiceFollowUp.late.is_(False))
    assert _count(ServiceRecord, ServiceRecord.status.in_(OPEN_STATUSES),
                  ServiceRecord.next_follow_up_due < now)
    assert _count(ReturnVisit, ReturnVisit.kind == VisitKind.AFTER_SERVICE,
                  ReturnVisit.status == ReturnVisitStatus.DUE, ReturnVisit.due_date < today)
    assert _count(ReturnVisit, ReturnVisit.status == ReturnVisitStatus.DONE)
    assert _count(ServicePart, ServicePart.sold.is_(True))
    assert _count(ServicePart, ServicePart.sold.is_(False))
    assert _count(FaultReport, FaultReport.status == FaultStatus.COMPLETED)
    assert _count(FaultReport, FaultReport.status == FaultStatus.OPEN)
    year = today.year if today >= date(today.year, 10, 8) else today.year - 1
    assert _count(DutyShift, DutyShift.duty_date == date(year, 10, 1))
    closed = list(db.session.scalars(select(ServiceRecord).where(
        ServiceRecord.status == ServiceStatus.CLOSED)))
    assert all(r.confirmed_at and r.satisfaction and r.confirmation_method for r in closed)
    assert {r.satisfaction for r in closed} >= {3, 4, 5}
    calendar = calendar_for(WORK)
    made_up = [r for r in db.session.scalars(select(ServiceRecord))
               if r.service_at.weekday() >= 5 and calendar.is_working_day(r.service_at.date())]
    assert made_up, "no record on a 调休 workday"
    assert made_up[-1].response_due.date() == made_up[-1].service_at.date()


def test_demo_data_fills_every_service_page(app, demo):
    """After `flask demo-data` the 客服 manager's records, follow-ups, visits, statistics, roster
    and faults pages list rows; each status of a record is listed; the year holds breaches,
    补录 and overdue follow-ups, overdue visits, a 调休 workday call, 重大 records, parts used and
    sold, the National Day roster and fault reports; stored SLA deadlines match the history."""
    _pages_have_rows(demo)
    _every_status_listed(demo)
    with app.app_context():
        _the_cases_a_manager_must_see()
        _stored_deadlines_match_the_history()
