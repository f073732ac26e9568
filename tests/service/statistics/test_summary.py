"""The per-day summary (services/service/statistics/days.py) against the live queries: for every
reader whose scope it expresses, every figure summed from it equals the figure counted live,
after every kind of write (ORM, ORM bulk, the SLA job's driver executemany, the visit schedule's
Core statements), inside a transaction before its commit, after a savepoint's rollback, and
after a rebuild from scratch."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select, update

from app import policy
from app.extensions import db
from app.models import Customer, CustomerStatus, CustomerType, Level, User
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import (
    AfterSalesKind,
    ServicePart,
    ServiceRecord,
    ServiceStatus,
    ServiceType,
)
from app.models.service.statistics import ServiceStatisticsDay
from app.models.service.visits import ReturnVisit, ReturnVisitStatus
from app.policy.service import ServiceStatistics, VisitStatistics, statistics_dimensions
from app.services.service.sla import recompute as sla_recompute
from app.services.service.statistics import figures
from app.services.service.statistics.periods import month, week, year_or_quarter
from app.services.service.statistics.summed import Dimensions
from app.services.service.visits import schedule
from tests.factories.customers import make_customer
from tests.service.statistics.conftest import NOW, _follow_up, _parts, _visit
from tests.support import in_app

READERS = ("gm", "cs_mgr", "sales_mgr")
PERIODS = [year_or_quarter(2026), year_or_quarter(2026, 1), year_or_quarter(2025),
           month(date(2026, 3, 1)), week(date(2026, 3, 20))]


def _pair(user: User, period, now=NOW):
    """(summed, live) figures of `period` for `user`."""
    viewer = db.session.get(User, user.id)
    scoped = policy.scope(figures.base(), viewer, ServiceStatistics)
    visits = policy.scope(figures.visits_base(), viewer, VisitStatistics)
    dims = Dimensions(*statistics_dimensions(viewer))
    return (figures.figures(scoped, visits, period, now, dims),
            figures.figures(scoped, visits, period, now))


def _assert_equal(users: dict, periods=PERIODS) -> None:
    """Every figure and the totals, summed and live, for every summary reader and period."""
    for name in READERS:
        for period in periods:
            summed, live = _pair(users[name], period)
            assert summed == live, (name, period.code)
            viewer = db.session.get(User, users[name].id)
            scoped = policy.scope(figures.base(), viewer, ServiceStatistics)
            dims = Dimensions(*statistics_dimensions(viewer))
            assert figures.totals(scoped, period, dims) == figures.totals(scoped, period)


def test_the_hand_counted_year_sums_as_it_counts(app, year):
    """The GM, the 客服 manager and the sales manager: the summary's figures are the live ones
    for a year, a quarter, last year, a month and a week, and not all zero."""
    with in_app(app):
        _assert_equal(year.users)
        summed, _live = _pair(year.users["gm"], PERIODS[0])
        assert summed.total.count == 6
        assert summed.parts.sold_amount == Decimal("1375.50")
        assert (summed.follow_ups.entered, summed.visits.done) == (4, 2)


def test_staff_have_no_summary_scope(app, year):
    """客服 staff count their own records: the summary does not express their scope."""
    with in_app(app):
        for name in ("cs1", "cs2"):
            assert statistics_dimensions(db.session.get(User, year.users[name].id)) is None
        for name in ("sales1", "admin", "auditor"):
            assert statistics_dimensions(db.session.get(User, year.users[name].id)) is None


KINDS = [None, *AfterSalesKind]
STATUSES = list(ServiceStatus)


def _random_records(app, year, rng: random.Random, count: int = 80) -> list[int]:
    """`count` records on random days of 2025–2026 over four more customers (every type and
    level), with random parts, follow-ups and return visits; their ids."""
    users = year.users
    extra = [make_customer(app, users["sales_top"], type=kind, name=f"随机统计客户{i}有限公司",
                           confidentiality=level)
             for i, (kind, level) in enumerate(zip(CustomerType, [Level.PUBLIC, Level.INTERNAL,
                                                                 Level.SECRET,
                                                                 Level.CONFIDENTIAL],
                                                   strict=True))]
    customers = [*year.customers.values(), *extra]
    with in_app(app):
        template = db.session.get(ServiceRecord, year.records[1].id)
        ids = []
        for i in range(count):
            customer = db.session.get(Customer, rng.choice(customers).id)
            kind = rng.choice(list(ServiceType))
            record = ServiceRecord(
                number=f"RND-{i:04d}", sequence=1000 + i, customer_id=customer.id,
                department_id=template.department_id, confidentiality=customer.confidentiality,
                service_type=kind,
                after_sales_kind=rng.choice(KINDS) if kind == ServiceType.AFTERSALES else None,
                service_at=datetime(2025, 12, 1) + timedelta(minutes=rng.randrange(0, 200 * 1440)),
                content="随机", status=rng.choice(STATUSES), first_receiver_id=users["cs1"].id,
                satisfaction=rng.choice([None, 1, 2, 3, 4, 5]),
                response_breached=rng.random() < 0.3, resolution_breached=rng.random() < 0.3,
                rework_of_id=template.id if rng.random() < 0.1 else None,
                next_follow_up_due=datetime(2026, 1, 1) + timedelta(days=rng.randrange(400)))
            db.session.add(record)
            db.session.flush()
            ids.append(record.id)
            db.session.add_all(_parts(record.id, *[
                (rng.choice(["滤网", "主板", "风扇"]), str(rng.randint(1, 3)), rng.random() < 0.5,
                 "10", f"{rng.randint(1, 500)}.{rng.randint(0, 99):02d}")
                for _ in range(rng.randint(0, 2))]))
            db.session.add_all([_follow_up(record.id, users["cs2"].id, record.service_at
                                           + timedelta(hours=rng.randint(1, 900)),
                                           rng.random() < 0.3)
                                for _ in range(rng.randint(0, 3))])
            if rng.random() < 0.4:
                done = rng.random() < 0.5
                db.session.add(_visit(customer, db.session.get(User, users["cs1"].id),
                                      record.service_at.date() + timedelta(days=7),
                                      department_id=record.department_id,
                                      status=ReturnVisitStatus.DONE if done
                                      else ReturnVisitStatus.DUE,
                                      visited_at=record.service_at + timedelta(days=8)
                                      if done else None,
                                      satisfaction=rng.randint(1, 5) if done else None))
        db.session.commit()
    return ids


@pytest.fixture
def randomised(app, year):
    rng = random.Random(20261206)
    return rng, _random_records(app, year, rng)


def test_a_random_ledger_sums_as_it_counts_after_every_kind_of_write(app, year, randomised):
    """ORM edits (a record moved to another day, its type, kind, status, satisfaction; parts
    and follow-ups added, moved, deleted; a customer's type), ORM bulk UPDATE and DELETE: after
    each commit every figure summed equals the live one."""
    rng, ids = randomised
    with in_app(app):
        _assert_equal(year.users)
        for record_id in rng.sample(ids, 10):
            record = db.session.get(ServiceRecord, record_id)
            record.service_at += timedelta(days=rng.randint(-60, 60))
            record.service_type = ServiceType.AFTERSALES
            record.after_sales_kind = rng.choice(KINDS)
            record.status, record.satisfaction = rng.choice(STATUSES), rng.choice([None, 4, 1])
        db.session.commit()
        _assert_equal(year.users)
        parts = db.session.scalars(select(ServicePart).where(ServicePart.record_id.in_(ids)))
        for part in list(parts)[:5]:
            db.session.delete(part)
        for follow_up in db.session.scalars(select(ServiceFollowUp).where(
                ServiceFollowUp.record_id.in_(ids)).limit(6)):
            follow_up.communicated_at -= timedelta(days=40)
        db.session.get(Customer, year.customers["B"].id).type = CustomerType.LOST
        db.session.commit()
        _assert_equal(year.users)
        db.session.execute(update(ServiceRecord).where(ServiceRecord.id.in_(ids[:20]))
                           .values(service_at=datetime(2026, 7, 1, 9), resolution_breached=True))
        db.session.execute(update(ServiceRecord), [{"id": i, "satisfaction": 5}
                                                   for i in ids[20:30]])
        db.session.execute(delete(ServiceFollowUp).where(ServiceFollowUp.record_id.in_(ids[30:40])))
        db.session.execute(update(ReturnVisit).values(status=ReturnVisitStatus.DONE))
        db.session.commit()
        _assert_equal(year.users)


def test_paths_around_the_orm_mark_their_days(app, year, randomised):
    """The SLA job's driver executemany (breach flags), the visit schedule's Core UPDATE (a
    customer's confidentiality copied to its visits) and its INSERT … SELECT (the December
    demand surveys) are summed like any other write."""
    _rng, ids = randomised
    with in_app(app):
        rows = db.session.scalars(select(ServiceRecord).where(ServiceRecord.id.in_(ids[:15])))
        rows = rows.all()
        stamp = datetime(2026, 12, 6, 3)
        sla_recompute.write([(None, None, None, None, not r.response_breached, True, None,
                              False, stamp, r.id) for r in rows], rows)
        db.session.commit()
        _assert_equal(year.users)
        before = _pair(year.users["sales_mgr"], PERIODS[0])[0].visits.due
        a_visits = db.session.scalar(select(func.count()).where(
            ReturnVisit.customer_id == year.customers["A"].id,
            ReturnVisit.due_date.between(date(2026, 1, 1), date(2026, 12, 31))))
        schedule.copy_confidentiality(db.session.connection(),
                                      {year.customers["A"].id: Level.CONFIDENTIAL})
        db.session.commit()
        _assert_equal(year.users)
        # A's visits are above the sales manager's clearance (秘密) now.
        assert _pair(year.users["sales_mgr"], PERIODS[0])[0].visits.due == before - a_visits > 0
        for key in ("A", "C"):  # 成交客户 whose archive is in force get a survey
            db.session.get(Customer, year.customers[key].id).status = CustomerStatus.ACTIVE
        db.session.commit()
        due = _pair(year.users["gm"], PERIODS[0])[0].visits.due
        made = schedule.december_surveys(db.session.connection(), 2026)  # INSERT … SELECT
        db.session.commit()
        _assert_equal(year.users)
        assert _pair(year.users["gm"], PERIODS[0])[0].visits.due == due + made > due


def test_a_read_before_the_commit_and_after_a_savepoint_rollback(app, year, randomised):
    """In the transaction that changed a record the statistics already count the change; a
    savepoint rolled back after a statistics read leaves the summary equal to the live rows."""
    _rng, ids = randomised
    with in_app(app):
        gm = year.users["gm"]
        in_2026 = 6 + _in_2026(ids)
        assert _pair(gm, PERIODS[0])[0].total.count == in_2026
        record = db.session.get(ServiceRecord, year.records[1].id)
        record.service_at = datetime(2025, 6, 1, 9)
        # Its days are first recomputed inside the savepoint, whose rollback undoes that.
        savepoint = db.session.begin_nested()
        db.session.get(ServiceRecord, year.records[2].id).service_at = datetime(2025, 6, 2, 9)
        assert _pair(gm, PERIODS[0])[0].total.count == in_2026 - 2
        savepoint.rollback()
        _assert_equal(year.users)
        assert _pair(gm, PERIODS[0])[0].total.count == in_2026 - 1
        db.session.commit()
        _assert_equal(year.users)
        assert _pair(gm, PERIODS[0])[0].total.count == in_2026 - 1


def _in_2026(ids: list[int]) -> int:
    return db.session.scalar(select(func.count()).where(
        ServiceRecord.id.in_(ids), ServiceRecord.service_at >= datetime(2026, 1, 1),
        ServiceRecord.service_at < datetime(2027, 1, 1)))


def _rows() -> list:
    t = ServiceStatisticsDay
    keys = (t.monthly, t.day, t.department_id, t.confidentiality, t.customer_type,
            t.service_type, t.after_sales_kind)
    sums = [func.sum(getattr(t, name)) for name in ("records", "open", "rework", "answered",
                                                      "score_total", "follow_ups")]
    return db.session.execute(select(*keys, *sums).group_by(*keys).order_by(*keys)).all()


def test_a_rebuild_from_scratch_finds_what_was_kept(app, year, randomised):
    """statistics-rebuild recomputes every day: the rows sum to what the kept days summed, and
    the figures still equal the live ones; the command reports the days it spanned."""
    with in_app(app):
        kept = _rows()
        db.session.execute(delete(ServiceStatisticsDay))
        db.session.commit()
        assert _pair(year.users["gm"], PERIODS[0])[0].total.count == 0
    result = app.test_cli_runner().invoke(args=["service", "statistics-rebuild"])
    assert "days recomputed" in result.output
    with in_app(app):
        assert _rows() == kept and kept
        _assert_equal(year.users)


def test_a_managers_records_outside_the_department_are_counted_live(app, year):
    """A record of another department the 客服 manager registered is in their scope but not in
    their department's summary rows: it is counted beside them, figure for figure."""
    with in_app(app):
        manager = db.session.get(User, year.users["cs_mgr"].id)
        before = _pair(manager, PERIODS[0])[0]
        record = db.session.get(ServiceRecord, year.records[3].id)
        record.department_id = db.session.get(User, year.users["sales1"].id).department_id
        record.first_receiver_id = manager.id
        db.session.add_all(_parts(record.id, ("风扇", "2", True, "5", "10.00")))
        db.session.commit()
        after = _pair(manager, PERIODS[0])[0]
        _assert_equal(year.users)
        assert after.total.count == before.total.count
        assert after.parts.sold_amount == before.parts.sold_amount + Decimal("10.00")
