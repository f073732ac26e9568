"""Return visits are generated, never typed (seed a6): the delivery schedule (monthly for a year
after the delivery date, then quarterly), regenerated when the delivery date or the customer's
grade changes, the visit after a completed service, the December demand survey, and the
complaint's visit before it may close."""

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Contract, ContractStatus, Customer, Grade, Level, User
from app.models.service.records import ServiceRecord, ServiceStatus
from app.models.service.visits import (
    ReturnVisit,
    ReturnVisitStatus,
    VisitKind,
    VisitMethod,
    VisitSubject,
)
from app.services.service.records import workflow
from app.services.service.visits import complaint, jobs
from app.services.service.visits.operations import VisitRecord, record_visit
from app.services.service.visits.schedule import add_months, schedule_dates
from tests.factories.customers import make_customer
from tests.factories.service import make_service_record
from tests.service.visits.conftest import activate_customer, change, delivered, open_dates, visits
from tests.support import today as today_of

MONTHLY_THEN_QUARTERLY = (12, 1, 3)


def test_schedule_is_monthly_for_a_year_then_quarterly():
    """From a delivery on 2026-01-31: the last day of each of the 12 following months, then
    every three months counted from the end of the first year."""
    dates = schedule_dates(date(2026, 1, 31), MONTHLY_THEN_QUARTERLY, date(2026, 1, 1),
                           date(2027, 12, 31))
    assert dates[:3] == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    assert dates[11] == date(2027, 1, 31)
    assert dates[12:] == [date(2027, 4, 30), date(2027, 7, 31), date(2027, 10, 31)]


def test_schedule_starts_today_not_in_the_past():
    """A delivery long ago yields only the quarterly dates from today on."""
    dates = schedule_dates(date(2020, 3, 10), MONTHLY_THEN_QUARTERLY, date(2026, 5, 1),
                           date(2026, 12, 31))
    assert dates == [date(2026, 6, 10), date(2026, 9, 10), date(2026, 12, 10)]


def test_activated_contract_gets_its_schedule(app, team):
    """An active contract delivered today: 12 monthly visits and quarterly ones up to the
    24-month horizon, about the contract, with the customer's confidentiality, for 客服部."""
    today = today_of(app)
    contract = delivered(app, team.customer, today)
    rows = visits(app, subject_type=VisitSubject.CONTRACT, subject_id=contract.id)
    expected = [add_months(today, m) for m in (*range(1, 13), 15, 18, 21, 24)]
    assert [v.due_date for v in rows] == expected
    assert {(v.kind, v.status, v.customer_id, v.confidentiality, v.schedule_basis)
            for v in rows} == {(VisitKind.DELIVERY, ReturnVisitStatus.DUE, team.customer.id,
                                Level.INTERNAL, today)}


def test_only_active_contracts_with_a_delivery_date_are_scheduled(app, team):
    """Only active contracts with a delivery date are scheduled: a draft gets its schedule
    when it comes into force."""
    draft = delivered(app, team.customer, today_of(app), status=ContractStatus.DRAFT)
    delivered(app, team.customer, None)
    assert visits(app) == []
    change(app, Contract, draft.id, status=ContractStatus.ACTIVE)
    assert len(open_dates(app, subject_id=draft.id)) == 16


def test_daily_job_extends_the_horizon_and_is_idempotent(app, team):
    """Run a month later, the job adds the dates that entered the horizon; run twice, nothing
    more."""
    today = today_of(app)
    contract = delivered(app, team.customer, today)
    later = add_months(today, 3)
    with app.app_context():
        first = jobs.daily(later)
        again = jobs.daily(later)
    assert (first.scheduled, again.scheduled) == (1, 0)  # month 27
    assert open_dates(app, subject_id=contract.id)[-1] == add_months(today, 27)


def _record(app, visit_id: int, user) -> None:
    with app.app_context():
        visit = db.session.get(ReturnVisit, visit_id)
        record_visit(visit, VisitRecord(method=VisitMethod.PHONE, visited_at=visit.created_at,
                                        record="设备运行正常"), db.session.get(User, user.id))
        db.session.commit()


def test_delivery_date_change_replaces_open_visits_and_keeps_done_ones(app, team):
    """Moving the delivery date cancels the open visits and schedules from the new date; a
    visit already done stays done."""
    today = today_of(app)
    contract = delivered(app, team.customer, today)
    first = visits(app, subject_id=contract.id)[0]
    _record(app, first.id, team.cs_mgr)
    new_date = add_months(today, 2)
    change(app, Contract, contract.id, delivery_date=new_date)
    rows = visits(app, subject_id=contract.id)
    assert [v.status for v in rows if v.id == first.id] == [ReturnVisitStatus.DONE]
    assert open_dates(app, subject_id=contract.id)[:2] == [add_months(new_date, 1),
                                                           add_months(new_date, 2)]
    assert {v.schedule_basis for v in rows if v.status == ReturnVisitStatus.DUE} == {new_date}
    cancelled = [v for v in rows if v.status == ReturnVisitStatus.CANCELLED]
    assert len(cancelled) == 15 and all(v.reason for v in cancelled)


def test_grade_change_regenerates_with_the_grade_cadence(app, team):
    """With a cadence table giving grade A quarterly visits from the start, raising the
    customer to A replaces the monthly schedule by the quarterly one."""
    today = today_of(app)
    contract = delivered(app, team.customer, today)
    app.config["SERVICE_VISIT_CADENCE"] = {"A": (0, 3, 3)}
    try:
        change(app, Customer, team.customer.id, grade=Grade.A)
    finally:
        del app.config["SERVICE_VISIT_CADENCE"]
    assert open_dates(app, subject_id=contract.id) == [add_months(today, m)
                                                        for m in (3, 6, 9, 12, 15, 18, 21, 24)]


def test_closing_the_contract_cancels_its_open_schedule(app, team):
    """A contract no longer active has no open visits left."""
    contract = delivered(app, team.customer, today_of(app))
    change(app, Contract, contract.id, status=ContractStatus.CLOSED)
    assert open_dates(app, subject_id=contract.id) == []


def test_customer_confidentiality_is_copied_to_its_visits(app, team):
    """Raising the customer's 密级 raises its visits' (they would leak otherwise)."""
    delivered(app, team.customer, today_of(app))
    change(app, Customer, team.customer.id, confidentiality=Level.SECRET)
    assert {v.confidentiality for v in visits(app)} == {Level.SECRET}


def test_completed_service_gets_a_return_visit_for_its_handler(app, team):
    """A record going 已完成 makes one after-service visit, due three days later, assigned to
    the customer's 客服 handler; reopening and completing again while it is open adds none."""
    record = make_service_record(app, team.cs1, team.customer, handler_id=team.cs1.id)
    with app.app_context():
        row, actor = db.session.get(ServiceRecord, record.id), db.session.get(User, team.cs1.id)
        for status in (ServiceStatus.PROCESSING, ServiceStatus.DONE):
            workflow.change_status(row, status, actor)
        workflow.change_status(row, ServiceStatus.PROCESSING, actor, "客户反馈仍有异响")
        workflow.change_status(row, ServiceStatus.DONE, actor)
        db.session.commit()
    rows = visits(app, subject_type=VisitSubject.SERVICE, subject_id=record.id)
    assert [(v.kind, v.assignee_id, v.customer_id) for v in rows] == [
        (VisitKind.AFTER_SERVICE, team.cs1.id, team.customer.id)]
    assert (rows[0].due_date - today_of(app)).days == 3


def test_december_survey_for_every_active_deal_customer_once(app, team):
    """In December the job makes one demand survey per 成交客户 in force, due on the 15th;
    draft archives and non-deal customers get none; running it again adds none; other months
    make none."""
    activate_customer(app, team.customer)
    make_customer(app, team.sales1, type="deal")  # a draft archive
    prospect = make_customer(app, team.sales1, type="potential")
    activate_customer(app, prospect)
    with app.app_context():
        november = jobs.daily(date(2026, 11, 30))
        first, again = jobs.daily(date(2026, 12, 1)), jobs.daily(date(2026, 12, 2))
    assert (november.surveys, first.surveys, again.surveys) == (0, 1, 0)
    survey = visits(app, kind=VisitKind.SURVEY)
    assert [(v.customer_id, v.subject_type, v.due_date) for v in survey] == [
        (team.customer.id, VisitSubject.CUSTOMER, date(2026, 12, 15))]
    assert survey[0].assignee_id is None  # no service handler yet: the manager assigns it


def test_complaint_visit_is_required_before_close(app, team):
    """The complaint's visit is made once, due today; is_done turns true when recorded."""
    with app.app_context():
        cs1 = db.session.get(User, team.cs1.id)
        made = complaint.require_before_close("complaint", 77, team.customer.id, cs1)
        again = complaint.require_before_close("complaint", 77, team.customer.id, cs1)
        db.session.commit()
        assert made.id == again.id and not complaint.is_done("complaint", 77)
        made_id = made.id
    _record(app, made_id, team.cs1)
    with app.app_context():
        assert complaint.is_done("complaint", 77)
        assert db.session.scalar(select(ReturnVisit.due_date).where(
            ReturnVisit.id == made_id)) == today_of(app)


def test_daily_command_runs_the_job(app, team):
    """`flask service visits-daily --today 2026-12-01` makes the December surveys."""
    activate_customer(app, team.customer)
    result = app.test_cli_runner().invoke(args=["service", "visits-daily", "--today",
                                                "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "1 surveys" in result.output
    assert [v.kind for v in visits(app)] == [VisitKind.SURVEY]
