"""Every figure of the statistics, against the hand count of conftest.py's year."""

from decimal import Decimal

from app import policy
from app.extensions import db
from app.models import CustomerType, User
from app.models.service.records import AfterSalesKind, ServiceType
from app.policy.service import ServiceStatistics, VisitStatistics
from app.services.service.statistics import figures as service
from app.services.service.statistics.periods import year_or_quarter
from tests.service.statistics.conftest import NOW
from tests.support import in_app

AS = ServiceType.AFTERSALES


def _figures(app, user, year=2026, quarter=None) -> service.Figures:
    with in_app(app):
        viewer = db.session.get(User, user.id)
        scoped = policy.scope(service.base(), viewer, ServiceStatistics)
        visits = policy.scope(service.visits_base(), viewer, VisitStatistics)
        return service.figures(scoped, visits, year_or_quarter(year, quarter), NOW)


def test_the_year_counts_each_record_of_its_year_once(app, year):
    """服务次数: the GM counts the six 2026 records (r1–r6), not 2025's r0; two are open, one is
    rework, two response and two resolution breaches (the stored flags)."""
    total = _figures(app, year.users["gm"]).total
    assert (total.count, total.open, total.rework) == (6, 2, 1)
    assert (total.response_breached, total.resolution_breached) == (2, 2)
    assert total.rework_rate == Decimal("16.7")


def test_a_quarter_counts_its_three_months_only(app, year):
    """Q1 2026 holds r1, r2, r3, r4, r6 (r5 is May); Q2 only r5; 2025 only r0."""
    gm = year.users["gm"]
    assert _figures(app, gm, quarter=1).total.count == 5
    assert _figures(app, gm, quarter=2).total.count == 1
    assert _figures(app, gm, year=2025).total.count == 1


def test_counts_by_service_type_and_after_sales_kind(app, year):
    """By type: 售后维护 3 (r1, r2, r4), 售前 1, 售中 1, 增值 1; of 售后: 维修 2, 保养 1."""
    f = _figures(app, year.users["gm"])
    assert {t: f.by_type[t].count for t in ServiceType} == {
        AS: 3, ServiceType.PRESALES: 1, ServiceType.INSALES: 1, ServiceType.VALUE_ADDED: 1}
    assert f.by_kind[AfterSalesKind.REPAIR].count == 2
    assert f.by_kind[AfterSalesKind.MAINTENANCE].count == 1
    assert f.by_kind[AfterSalesKind.INSTALLATION].count == 0


def test_satisfaction_rate_and_mean(app, year):
    """Answers 5, 4, 2, 3, 1 (r5 unanswered): rate = 2 of 5 satisfied (≥ 4) = 40.0 %, mean
    15 / 5 = 3.00."""
    total = _figures(app, year.users["gm"]).total
    assert (total.answered, total.satisfied) == (5, 2)
    assert total.satisfaction_rate == Decimal("40.0")
    assert total.satisfaction_mean == Decimal("3.00")


def test_satisfaction_by_customer_type_and_service_type(app, year):
    """成交 × 售后 is r1 (5) and r2 (4): 100 %, 4.50; 意向 × 售后 is r4 (3): 0 %, 3.00;
    成交 × 售前 is r3 (2); 意向 × 增值 has no answer (no rate rather than 0 %)."""
    m = _figures(app, year.users["gm"]).matrix
    deal, intent = CustomerType.DEAL, CustomerType.INTENT
    assert (m[(deal, AS)].satisfaction_rate, m[(deal, AS)].satisfaction_mean) == (
        Decimal("100.0"), Decimal("4.50"))
    assert (m[(intent, AS)].satisfaction_rate, m[(intent, AS)].satisfaction_mean) == (
        Decimal("0.0"), Decimal("3.00"))
    assert m[(deal, ServiceType.PRESALES)].satisfaction_mean == Decimal("2.00")
    assert m[(intent, ServiceType.VALUE_ADDED)].count == 1
    assert m[(intent, ServiceType.VALUE_ADDED)].satisfaction_rate is None


def test_parts_used_and_sold_are_summed_exactly(app, year):
    """Used: 电源模块 on r1 and r4, 2 lines, quantity 2; sold: 滤网 2 + 1.5 and 主板 1, 3 lines,
    quantity 4.5, ¥100.00 + ¥75.50 + ¥1,200.00 = ¥1,375.50 (Decimal, no float on the way)."""
    parts = _figures(app, year.users["gm"]).parts
    assert (parts.used_lines, parts.used_quantity) == (2, Decimal("2"))
    assert (parts.sold_lines, parts.sold_quantity) == (3, Decimal("4.5"))
    assert parts.sold_amount == Decimal("1375.50")
    assert isinstance(parts.sold_amount, Decimal)
    assert parts.top[0][:3] == ("滤网", None, Decimal("3.5"))


def test_follow_ups_late_entered_and_overdue(app, year):
    """2026's follow-ups: 4 entered, 3 of them 补录 (75.0 %); overdue: r5 is open and its
    follow-up was due 05-20, before now; r3 is open with no due date."""
    f = _figures(app, year.users["gm"]).follow_ups
    assert (f.entered, f.late, f.overdue) == (4, 3, 1)
    assert f.late_rate == Decimal("75.0")


def test_each_reader_counts_only_the_records_they_may_see(app, year):
    """客服 staff count the records they registered or handle (cs1: r1, r2, r5); the 客服
    manager 客服部's below their 秘密 clearance (not r6, 机密); the sales manager, by the
    supervision exception, all records up to 秘密 (five); the GM all six; the others none."""
    counts = {name: _figures(app, year.users[name]).total.count
              for name in ("cs1", "cs2", "cs_mgr", "sales_mgr", "gm", "sales1", "risk1",
                           "admin", "auditor", "archivist")}
    assert counts == {"cs1": 3, "cs2": 2, "cs_mgr": 5, "sales_mgr": 5, "gm": 6, "sales1": 0,
                      "risk1": 0, "admin": 0, "auditor": 0, "archivist": 0}


def test_parts_and_follow_ups_follow_the_reader_scope(app, year):
    """The 机密 r6 (主板 ¥1,200.00, one 补录) is not counted for the 客服 manager."""
    f = _figures(app, year.users["cs_mgr"])
    assert f.parts.sold_amount == Decimal("175.50")
    assert (f.follow_ups.entered, f.follow_ups.late) == (3, 2)


def test_return_visits_due_done_overdue_and_their_satisfaction(app, year):
    """2026's visits: v1, v2, v3 due (v4 is 2027), v1 and v3 done, v2 still due past 04-01;
    answers 5 and 2: 50.0 % satisfied. The 客服 manager does not count the 机密 v3; cs1 counts
    the visit assigned to them (v1); the sales manager all up to 秘密."""
    gm = _figures(app, year.users["gm"]).visits
    assert (gm.due, gm.done, gm.overdue, gm.answered, gm.satisfied) == (3, 2, 1, 2, 1)
    assert gm.satisfaction_rate == Decimal("50.0")
    mgr = _figures(app, year.users["cs_mgr"]).visits
    assert (mgr.due, mgr.done, mgr.overdue, mgr.satisfaction_rate) == (2, 1, 1, Decimal("100.0"))
    assert _figures(app, year.users["cs1"]).visits.due == 1
    assert _figures(app, year.users["sales_mgr"]).visits.due == 2
    assert _figures(app, year.users["sales1"]).visits.due == 0
