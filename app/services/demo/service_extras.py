"""The rest of the service department's demo: the return visits the services generated, recorded
by their assignees (the latest few after-service visits left overdue), last December's demand
survey, the duty roster of the National Day holiday and of this month's days off, and fault
reports (one completed, one still open) on the 重大 records."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import Customer, Role, User
from app.models.service.records import ServiceRecord
from app.models.service.roster import FaultReport
from app.models.service.visits import (
    Intention,
    ReturnVisit,
    ReturnVisitStatus,
    VisitKind,
    VisitMethod,
)
from app.services.core.worktime import WORK, calendar_for
from app.services.demo import service_texts as words
from app.services.demo.service_clock import to_utc
from app.services.service.faults import operations as faults
from app.services.service.roster import holidays
from app.services.service.roster import operations as roster
from app.services.service.visits import operations as visits
from app.services.service.visits import schedule
from app.timeutil import local_now

OVERDUE_DAYS = 30  # after-service visits due in the last month: some are left undone
ASSIGN_DAYS = 60  # unassigned visits due within this many days are assigned


def load(rng: random.Random, users: dict[str, User], people: list[User],
         records: list[ServiceRecord], today: date) -> dict[str, int]:
    """Visits, the roster and fault reports; counts by kind."""
    conn = db.session.connection()
    schedule.december_surveys(conn, today.year - 1)  # last December's, mostly recorded
    if today.month == 12:  # what the daily job does in December
        schedule.december_surveys(conn, today.year)
    recorded = record_visits(rng, users, today)
    assigned = assign_visits(people, today)
    shifts = duty_roster(rng, users, people, today)
    reports = fault_reports(users, records)
    return {"return visits recorded": recorded, "return visits assigned": assigned,
            "duty shifts": shifts, "fault reports": reports}


def record_visits(rng: random.Random, users: dict[str, User], today: date) -> int:
    """Records the visits due before today, except about half of the after-service visits of
    the last month (they show as overdue)."""
    due = list(db.session.scalars(
        select(ReturnVisit).where(ReturnVisit.status == ReturnVisitStatus.DUE,
                                  ReturnVisit.due_date < today)
        .order_by(ReturnVisit.due_date, ReturnVisit.id)))
    people = {user.id: user for user in users.values()}
    now = local_now().replace(tzinfo=None)
    count = 0
    for visit in due:
        recent = (today - visit.due_date).days <= OVERDUE_DAYS
        if recent and rng.random() < 0.5:
            continue
        visited = datetime.combine(visit.due_date, time(9, 30)) + timedelta(
            minutes=rng.randint(0, 420))
        visits.record_visit(visit, _visit_record(rng, visit, min(visited, now)),
                            people.get(visit.assignee_id, users["cs_mgr"]))
        count += 1
    return count


def assign_visits(people: list[User], today: date) -> int:
    """The 客服 manager shares out the unassigned visits of the coming weeks (those further
    ahead stay unassigned: the 未分配 filter has something to show); how many."""
    manager = next(user for user in people if user.role == Role.MANAGER)
    coming = list(db.session.scalars(select(ReturnVisit).where(
        ReturnVisit.status == ReturnVisitStatus.DUE, ReturnVisit.assignee_id.is_(None),
        ReturnVisit.due_date <= today + timedelta(days=ASSIGN_DAYS)).order_by(ReturnVisit.id)))
    for i, visit in enumerate(coming):
        cleared = [user for user in people if user.clearance >= visit.confidentiality]
        visits.assign(visit, cleared[i % len(cleared)].id, manager)
    return len(coming)


def _visit_record(rng: random.Random, visit: ReturnVisit,
                  visited: datetime) -> visits.VisitRecord:
    """What the assignee writes down: how, what was said, satisfaction, intention."""
    survey = visit.kind == VisitKind.SURVEY
    return visits.VisitRecord(
        method=VisitMethod.SURVEY if survey else rng.choice((VisitMethod.PHONE,
                                                             VisitMethod.PHONE,
                                                             VisitMethod.ONSITE,
                                                             VisitMethod.SMS)),
        visited_at=visited,
        record=rng.choice(words.SURVEY_RECORDS if survey else words.VISIT_RECORDS),
        objections=rng.choice(words.OBJECTIONS) if rng.random() < 0.15 else None,
        satisfaction=rng.choices((5, 4, 3, 2), weights=(50, 35, 10, 5))[0],
        intention=rng.choice(list(Intention)))


def duty_roster(rng: random.Random, users: dict[str, User], people: list[User],
                today: date) -> int:
    """The last National Day holiday covered day by day, and this month's days off."""
    year = today.year if today >= date(today.year, 10, 8) else today.year - 1
    national = next((run for run in holidays.holiday_runs(year) if date(year, 10, 1) in run),
                    [date(year, 10, 1) + timedelta(days=i) for i in range(7)])
    cal = calendar_for(WORK)
    first = today.replace(day=1)
    month = [first + timedelta(days=i) for i in range(31)
             if (first + timedelta(days=i)).month == first.month
             and not cal.is_working_day(first + timedelta(days=i))]
    days = sorted(set(national) | set(month))
    for i, day in enumerate(days):
        person = people[i % len(people)]
        fill = _fill(rng, day) if day < today else roster.DutyFill()
        roster.create_shift(roster.DutyPlan(day, person.id, fill), users["cs_mgr"])
    return len(days)


def _fill(rng: random.Random, day: date) -> roster.DutyFill:
    """What the person on duty wrote: handover, work done, hours."""
    return roster.DutyFill(
        handover_at=datetime.combine(day, time(8, 30)),
        work_content=rng.choice(words.DUTY_WORK).format(n=rng.randint(1, 6)),
        hours=Decimal(rng.choice(("8", "8", "7.5", "9"))))


def fault_reports(users: dict[str, User], records: list[ServiceRecord]) -> int:
    """A completed report on the oldest 重大 record and an open one on the newest."""
    major = [record for record in records if record.major]
    if not major:
        return 0
    reporter = users["cs_mgr"]
    oldest, newest = major[0], major[-1]
    report = _report(oldest, reporter, words.FAULT)
    faults.complete(report, faults.Analysis(**{name: words.FAULT[name]
                                               for name in faults.ANALYSIS_FIELDS}), reporter)
    report.completed_at = to_utc(oldest.service_at + timedelta(days=3))
    if newest is not oldest:
        _report(newest, reporter, words.OPEN_FAULT)
    return 1 + (newest is not oldest)


def _report(record: ServiceRecord, reporter: User, text: dict) -> FaultReport:
    """The first report of the fault behind a 重大 record, at its customer's address."""
    customer = db.session.get(Customer, record.customer_id)
    return faults.report_fault(faults.FaultData(
        customer_id=customer.id, occurred_at=record.service_at - timedelta(minutes=40),
        place=customer.address or customer.name, symptoms=text["symptoms"].format(p="服务器"),
        plan=text["plan"], record_number=record.number), reporter)
