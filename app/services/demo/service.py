"""Demo data of the customer service department: a year of service records for the demo
customers, run through the real services on a simulated clock (service_clock) so that numbers,
history, SLA deadlines and breaches, follow-ups (补录 and overdue) and the after-service return
visits come out as they would have; then the visits recorded or left overdue, the duty roster
and fault reports (service_extras). Deterministic (one seeded generator) and quick."""

import random
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import Contract, ContractStatus, Customer, CustomerStatus, User
from app.models.service.follow_ups import FollowUpResult
from app.models.service.records import ConfirmationMethod, ServiceRecord, ServiceType
from app.models.service.records import ServiceStatus as S
from app.policy.service import serves
from app.services.core import notifications
from app.services.core.worktime import WORK, calendar_for
from app.services.demo import service_extras as extras
from app.services.demo import service_texts as words
from app.services.demo.service_clock import DemoClock
from app.services.demo.service_plans import Plan, Planner
from app.services.service.follow_ups.operations import FollowUpData, add_follow_up
from app.services.service.records import workflow
from app.services.service.records.data import PartData, RecordData
from app.services.service.records.operations import create_record, update_record
from app.timeutil import local_now

SCORES = ((5, 45), (4, 35), (3, 12), (2, 5), (1, 3))
READ_DAYS = 14  # notices of the records of the last fortnight are still unread


class Course:
    """Runs the plans' courses, each action at its simulated moment, never past now."""

    def __init__(self, rng: random.Random, users: dict[str, User], clock: DemoClock):
        self.rng, self.users, self.clock = rng, users, clock
        self.cal = calendar_for(WORK)
        self.now = local_now().replace(tzinfo=None, second=0, microsecond=0)
        self.contracts = dict(db.session.execute(
            select(Contract.customer_id, Contract.number)
            .where(Contract.status == ContractStatus.ACTIVE)).all())

    def after(self, moment: datetime, low: int, high: int) -> datetime:
        """`low`–`high` working minutes after `moment`."""
        return self.cal.add(moment, self.rng.randint(low, high))

    def data(self, plan: Plan) -> RecordData:
        """The register form's values for the plan."""
        rng = self.rng
        text = rng.choice(words.CONTENTS[(plan.service_type, plan.kind)])
        expected = (self.cal.add(plan.start, plan.expected_days * 450)
                    if plan.expected_days else None)
        contract = (self.contracts.get(plan.customer.id)
                    if plan.service_type == ServiceType.AFTERSALES else None)
        return RecordData(
            customer_id=plan.customer.id, service_type=plan.service_type,
            after_sales_kind=plan.kind, priority=plan.priority,
            content=text.format(p=rng.choice(words.PRODUCTS)), service_at=plan.start,
            communicated_at=plan.start, request_text=rng.choice(words.REQUESTS),
            expected_at=expected, major=plan.major, contract_number=contract)

    def run(self, plan: Plan) -> ServiceRecord:
        """Registers the record and takes it as far as its plan goes (or now allows)."""
        self.clock.at(plan.start)
        data = self.data(plan)
        record = create_record(data, plan.receiver)
        if plan.handler is not None and record.handler_id != plan.handler.id:
            self.clock.at(self.after(plan.start, 5, 60))
            workflow.assign(record, plan.handler.id, self.users["cs_mgr"])
        if plan.final != S.PENDING:
            self.work(record, plan, data)
        return record

    def step(self, moment: datetime) -> bool:
        """Moves the clock to `moment` when it has come already (False: it has not)."""
        if moment >= self.now:
            return False
        self.clock.at(moment)
        return True

    def status(self, record: ServiceRecord, plan: Plan, to: S, moment: datetime,
               reason: str | None = None) -> bool:
        """The handler moves the record on at `moment`, if it has come."""
        if not self.step(moment):
            return False
        workflow.change_status(record, to, self.handler(record, plan), reason)
        return True

    def handler(self, record: ServiceRecord, plan: Plan) -> User:
        """Who acts on the record now: its 负责人 (after a transfer, the new one)."""
        if record.handler_id == getattr(plan.transfer_to, "id", None):
            return plan.transfer_to
        return plan.handler or self.users["cs_mgr"]

    def respond_at(self, record: ServiceRecord, plan: Plan) -> datetime:
        """When work starts: within the response target, or (late_response) after it."""
        if plan.late_response:
            return self.cal.add(record.response_due, self.rng.randint(30, 600))
        return self.after(plan.start, 10, 90)

    def work(self, record: ServiceRecord, plan: Plan, data: RecordData) -> None:
        """处理中, the follow-ups, a pause, completion, confirmation and closing."""
        moment = self.respond_at(record, plan)
        if not self.status(record, plan, S.PROCESSING, moment):
            return
        self.follow_up(record, plan, self.after(moment, 5, 40), self.now)
        if plan.abandon:
            self.give_up(record, plan)
            return
        if plan.transfer_to and self.step(self.after(moment, 60, 300)):
            workflow.transfer(record, plan.transfer_to.id, plan.handler, words.TRANSFER_REASON)
        moment = self.pause(record, plan, moment)
        if moment is None or plan.final == S.PROCESSING:
            self.keep_up(record, plan, self.now)
            return
        self.complete(record, plan, data, moment)

    def pause(self, record: ServiceRecord, plan: Plan, moment: datetime) -> datetime | None:
        """A stretch of 等待客户 / 等待配件 (the SLA clock stops); None when it lasts till now."""
        if plan.pause is None:
            return moment
        stopped = self.after(moment, 60, 600)
        if not self.status(record, plan, plan.pause, stopped,
                           words.WAIT_REASONS[plan.pause == S.WAITING_PARTS]):
            return None
        if plan.final == plan.pause:
            return None
        resumed = self.after(stopped + timedelta(days=self.rng.randint(1, 6)), 0, 120)
        if not self.status(record, plan, S.PROCESSING, resumed):
            return None
        return resumed

    def done_at(self, record: ServiceRecord, plan: Plan, moment: datetime) -> datetime:
        """On time, or (late_resolution) some working hours after the resolution deadline."""
        if plan.late_resolution:
            return self.cal.add(record.resolution_due, self.rng.randint(120, 1500))
        room = self.cal.minutes_between(moment, record.resolution_due)
        return self.after(moment, 30, max(31, room - 15))

    def complete(self, record: ServiceRecord, plan: Plan, data: RecordData,
                 moment: datetime) -> None:
        """已完成 with the solution and parts; then, per plan, reopened, confirmed, closed."""
        done = self.done_at(record, plan, moment)
        self.keep_up(record, plan, done)
        if not self.step(done):
            return
        self.clock.at(done - timedelta(minutes=10))
        update_record(record, self.finished(data, plan), record.version,
                      self.handler(record, plan))
        self.finish(record, plan, done)
        if plan.reopen:
            again = self.after(done + timedelta(days=2), 0, 200)
            if not self.status(record, plan, S.PROCESSING, again, words.REOPEN_REASON):
                return
            self.follow_up(record, plan, self.after(again, 5, 30), self.now)
            done = self.after(again, 200, 600)
            if not self.finish(record, plan, done):
                return
        if plan.final == S.CLOSED and not plan.neglected:
            self.close(record, plan, done)

    def finish(self, record: ServiceRecord, plan: Plan, done: datetime) -> bool:
        """已完成 at `done`, if it has come (the completion stamp is the simulated one)."""
        if not self.status(record, plan, S.DONE, done):
            return False
        record.completed_at = self.clock.utc(done)
        db.session.flush()  # the next action reads the record again (row lock)
        return True

    def finished(self, data: RecordData, plan: Plan) -> RecordData:
        """The record's values once the work is done: solution, result, parts."""
        rng = self.rng
        parts = []
        if plan.parts:
            for name, spec, price in rng.sample(words.PARTS, rng.randint(1, 2)):
                parts.append(PartData(name, spec, Decimal(rng.randint(1, 3)),
                                      rng.random() < 0.4, Decimal(price)))
        return replace(data, solution=rng.choice(words.SOLUTIONS),
                       result=rng.choice(words.RESULTS), parts=parts)

    def close(self, record: ServiceRecord, plan: Plan, done: datetime) -> None:
        """The customer's confirmation a few working hours later, then 已关闭."""
        rng = self.rng
        confirmed = self.after(done, 60, 1400)
        if not self.step(confirmed):
            return
        score = rng.choices([s for s, _w in SCORES], weights=[w for _s, w in SCORES])[0]
        workflow.confirm(record, self.handler(record, plan), satisfaction=score,
                         method=rng.choice(list(ConfirmationMethod)),
                         confirmed_by=plan.customer.contact_name or "客户对接人",
                         confirmed_at=confirmed, feedback=rng.choice(words.FEEDBACK))
        if self.status(record, plan, S.CLOSED, confirmed + timedelta(minutes=5)):
            record.closed_at = self.clock.utc(confirmed + timedelta(minutes=5))
            db.session.flush()

    def follow_up(self, record: ServiceRecord, plan: Plan, talked: datetime, until: datetime,
                  result: FollowUpResult = FollowUpResult.UNRESOLVED,
                  points: str | None = None) -> bool:
        """A follow-up talked at `talked`, entered soon after (hours later when 补录)."""
        rng = self.rng
        entered = talked + timedelta(minutes=rng.randint(5, 50))
        if plan.late_entries and rng.random() < 0.6:
            entered = talked + timedelta(hours=rng.randint(2, 20))
        if talked >= until or not self.step(min(entered, self.now - timedelta(minutes=1))):
            return False
        add_follow_up(record, FollowUpData(
            communicated_at=talked, points=points or rng.choice(words.POINTS), result=result,
            progress=rng.choice(words.PROGRESS), next_action=rng.choice(words.NEXT_ACTIONS),
            next_due=(talked + timedelta(days=rng.randint(1, 5))).date()),
            self.handler(record, plan))
        return True

    def keep_up(self, record: ServiceRecord, plan: Plan, until: datetime) -> None:
        """Follow-ups at the cadence until `until` (a neglected record gets none: overdue)."""
        if plan.neglected:
            return
        while record.next_follow_up_due and record.next_follow_up_due < until:
            talked = self.after(record.next_follow_up_due - timedelta(days=1), 0, 400)
            if not self.follow_up(record, plan, talked, until):
                break

    def give_up(self, record: ServiceRecord, plan: Plan) -> None:
        """The customer gives up (客户放弃): the follow-ups stop."""
        talked = self.after(record.service_at + timedelta(days=3), 0, 300)
        self.follow_up(record, plan, talked, self.now, FollowUpResult.ABANDONED,
                       words.ABANDONED_POINTS)


def load(users: dict[str, User], made: list[Customer], today: date) -> dict[str, int]:
    """The service department's demo data; counts by kind."""
    rng = random.Random(2026)
    active = [c for c in made if c.status == CustomerStatus.ACTIVE]
    planner = Planner(rng, users, active, calendar_for(WORK), today)
    plans = sorted(planner.random_plans() + planner.showcase(), key=lambda p: p.start)
    people = [u for u in users.values() if serves(u)]
    recent = datetime.combine(today - timedelta(days=READ_DAYS), datetime.min.time())
    clock = DemoClock()
    with clock.running():
        course = Course(rng, users, clock)
        records = [course.run(plan) for plan in plans if plan.start < recent]
        for user in (*people, users["gm"]):  # what they were told long ago they have read
            notifications.mark_all_read(user.id)
        records += [course.run(plan) for plan in plans if plan.start >= recent]
    db.session.flush()
    return {"service records": len(records), **extras.load(rng, users, people, records, today)}
