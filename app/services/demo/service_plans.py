"""What the demo's year of service holds, decided before anything is written: for each record
its customer, start, people, type and how far its course has gone by today (its final status),
with the exceptions a manager must see (breaches, pauses, a reopening, a transfer, a customer
who gave up, 重大 records, a call on a 调休 workday and one in the National Day holiday)."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.models import Customer, Level, User
from app.models.service.records import AfterSalesKind, Priority, ServiceStatus, ServiceType
from app.services.core.worktime import WorkCalendar

S = ServiceStatus
RANDOM_RECORDS = 130
TYPES = ((ServiceType.AFTERSALES, 55), (ServiceType.PRESALES, 15), (ServiceType.INSALES, 15),
         (ServiceType.VALUE_ADDED, 15))
KINDS = ((AfterSalesKind.REPAIR, 45), (AfterSalesKind.MAINTENANCE, 25),
         (AfterSalesKind.INSTALLATION, 15), (AfterSalesKind.RETURN, 10),
         (AfterSalesKind.OTHER, 5))
PRIORITIES = ((Priority.HIGH, 15), (Priority.MEDIUM, 60), (Priority.LOW, 25))


@dataclass
class Plan:
    """One record's course as the demo will run it."""

    customer: Customer
    start: datetime  # 服务时间 (local)
    final: ServiceStatus  # where the course has got to by today
    receiver: User  # 首问责任人
    handler: User | None  # 负责人 (None: not assigned yet)
    service_type: ServiceType = ServiceType.AFTERSALES
    kind: AfterSalesKind | None = AfterSalesKind.REPAIR
    priority: Priority = Priority.MEDIUM
    major: bool = False
    late_response: bool = False  # responded after the response deadline
    late_resolution: bool = False  # completed after the resolution deadline
    pause: ServiceStatus | None = None  # 等待客户 / 等待配件 on the way
    expected_days: int | None = None  # the customer's expected time, days after the start
    neglected: bool = False  # no follow-up after the first one (overdue follow-ups)
    late_entries: bool = False  # follow-ups entered hours after the talk (补录)
    reopen: bool = False
    transfer_to: User | None = None
    abandon: bool = False  # the customer gives up (客户放弃)
    parts: bool = False


def _weighted(rng: random.Random, pairs):
    """One value of (value, weight) pairs."""
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _moment(rng: random.Random, day: date) -> datetime:
    """A time in the working day's hours (a call comes when people answer the phone)."""
    minutes = rng.choice((rng.randint(0, 200), rng.randint(300, 530)))
    return datetime.combine(day, time(8, 30)) + timedelta(minutes=minutes)


def _final(rng: random.Random, age: int) -> ServiceStatus:
    """Where a record of `age` days has got to: old ones are closed, young ones still open."""
    if age <= 2:
        return rng.choice((S.PENDING, S.PROCESSING))
    if age <= 14:
        return rng.choice((S.PROCESSING, S.WAITING_CUSTOMER, S.WAITING_PARTS, S.DONE, S.CLOSED,
                           S.CLOSED))
    if age <= 60:
        return _weighted(rng, ((S.CLOSED, 80), (S.DONE, 10), (S.PROCESSING, 10)))
    return _weighted(rng, ((S.CLOSED, 96), (S.DONE, 4)))


class Planner:
    """Draws the plans from one seeded generator: the same demo every time for the same day."""

    def __init__(self, rng: random.Random, users: dict[str, User], customers: list[Customer],
                 calendar: WorkCalendar, today: date):
        self.rng, self.users, self.customers = rng, users, customers
        self.calendar, self.today = calendar, today
        self.staff = [users["cs1"], users["cs2"], users["cs_mgr"]]

    def handler_for(self, customer: Customer) -> User:
        """Secret customers' records go to the manager (the only one cleared for them)."""
        if customer.confidentiality >= Level.SECRET:
            return self.users["cs_mgr"]
        return self.rng.choices(self.staff, weights=(45, 40, 15))[0]

    def receiver_for(self, customer: Customer, handler: User) -> User:
        """Most calls reach 客服 directly; some the customer's salesperson takes (首问负责制)."""
        roll = self.rng.random()
        if roll < 0.25 and customer.owner.clearance >= customer.confidentiality:
            return customer.owner
        if roll < 0.4:
            return self.users["cs_mgr"]
        return handler

    def plan(self, customer: Customer, start: datetime, final: ServiceStatus, **extra) -> Plan:
        """One record's plan with drawn type, people and exceptions (`extra` overrides)."""
        rng = self.rng
        handler = self.handler_for(customer)
        service_type = _weighted(rng, TYPES)
        kind = _weighted(rng, KINDS) if service_type == ServiceType.AFTERSALES else None
        values = dict(
            customer=customer, start=start, final=final,
            receiver=self.receiver_for(customer, handler), handler=handler,
            service_type=service_type, kind=kind, priority=_weighted(rng, PRIORITIES),
            late_response=rng.random() < 0.1, late_resolution=rng.random() < 0.12,
            pause=rng.choice((S.WAITING_CUSTOMER, S.WAITING_PARTS)) if rng.random() < 0.2
            else None, expected_days=rng.choice((1, 2, 3, 5)) if rng.random() < 0.35 else None,
            late_entries=rng.random() < 0.15,
            parts=kind in (AfterSalesKind.REPAIR, AfterSalesKind.MAINTENANCE)
            and rng.random() < 0.6)
        values.update(extra)
        if values["final"] in (S.WAITING_CUSTOMER, S.WAITING_PARTS):
            values["pause"] = values["final"]
        return Plan(**values)

    def random_plans(self, count: int = RANDOM_RECORDS) -> list[Plan]:
        """Records spread over the last year, most on working days."""
        plans = []
        for _ in range(count):
            day = self.today - timedelta(days=self.rng.randint(3, 365))
            if not self.calendar.is_working_day(day) and self.rng.random() < 0.8:
                day = self.calendar.add_working_days(day, 1)
            if day >= self.today:
                continue
            age = (self.today - day).days
            plan = self.plan(self.rng.choice(self.customers), _moment(self.rng, day),
                             _final(self.rng, age))
            plan.neglected = plan.final in (S.PROCESSING, S.DONE) and age > 20
            plans.append(plan)
        return plans

    def working_day_back(self, n: int) -> date:
        """The n-th working day before today."""
        return self.calendar.add_working_days(self.today, -n)

    def showcase(self) -> list[Plan]:
        """The records every page needs, at dates relative to today: each open status, a
        response breach, a customer who gave up, a reopened and a transferred record, 重大."""
        pick, at = self.rng.choice, self.working_day_back
        c = self.customers
        cs1, cs2 = self.users["cs1"], self.users["cs2"]
        sales = self.users["sales1"]
        public = [x for x in c if x.confidentiality < Level.SECRET
                  and x.owner.clearance >= x.confidentiality]
        return [
            self.plan(pick(public), _on(at(1), 9, 10), S.PENDING, receiver=sales,
                      handler=None),
            self.plan(pick(c), _on(at(4), 10, 5), S.PENDING, late_response=True),
            self.plan(pick(c), _on(at(3), 14, 20), S.PROCESSING, priority=Priority.HIGH),
            self.plan(pick(c), _on(at(6), 9, 45), S.WAITING_CUSTOMER,
                      pause=S.WAITING_CUSTOMER),
            self.plan(pick(c), _on(at(8), 15, 0), S.WAITING_PARTS, pause=S.WAITING_PARTS,
                      service_type=ServiceType.AFTERSALES, kind=AfterSalesKind.REPAIR),
            self.plan(pick(c), _on(at(5), 11, 0), S.DONE, late_resolution=False, parts=True,
                      service_type=ServiceType.AFTERSALES, kind=AfterSalesKind.REPAIR),
            self.plan(pick(public), _on(at(30), 10, 30), S.PROCESSING, abandon=True,
                      handler=cs1),
            self.plan(pick(public), _on(at(45), 9, 0), S.CLOSED, reopen=True, handler=cs1,
                      receiver=cs1),
            self.plan(pick(public), _on(at(25), 13, 40), S.CLOSED, handler=cs1, receiver=cs1,
                      transfer_to=cs2),
            self.plan(pick(c), _on(at(70), 8, 50), S.CLOSED, major=True,
                      priority=Priority.HIGH, kind=AfterSalesKind.REPAIR,
                      service_type=ServiceType.AFTERSALES, parts=True),
            self.plan(pick(c), _on(at(2), 16, 10), S.PROCESSING, major=True,
                      priority=Priority.HIGH, kind=AfterSalesKind.REPAIR,
                      service_type=ServiceType.AFTERSALES),
            self.plan(pick(c), _on(at(12), 9, 20), S.DONE, neglected=True),
            *self.calendar_records(),
        ]

    def calendar_records(self) -> list[Plan]:
        """A call on the last 调休 workday (a weekend day worked) and one in the last National
        Day holiday, each closed: their deadlines show the calendar at work."""
        plans = []
        start = self.today - timedelta(days=365)
        worked = [start + timedelta(days=i) for i in range(358)
                  if (start + timedelta(days=i)).weekday() >= 5
                  and self.calendar.is_working_day(start + timedelta(days=i))]
        if worked:
            plans.append(self.plan(self.rng.choice(self.customers), _on(worked[-1], 9, 40),
                                   S.CLOSED, late_response=False, late_resolution=False))
        holiday = date(self.today.year - (self.today < date(self.today.year, 10, 20)), 10, 3)
        plans.append(self.plan(self.rng.choice(self.customers), _on(holiday, 10, 15),
                               S.CLOSED, late_response=False, late_resolution=False,
                               priority=Priority.HIGH))
        return plans


def _on(day: date, hour: int, minute: int) -> datetime:
    """`day` at hour:minute."""
    return datetime.combine(day, time(hour, minute))
