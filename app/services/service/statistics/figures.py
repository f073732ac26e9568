"""The figures of a period (a11), each one aggregate statement over the records the reader may
count. `scoped` is policy.scope(select(ServiceRecord.id).select_from(ServiceRecord), user,
ServiceStatistics): its WHERE clause is kept, its columns replaced by aggregates.

The period is the records' 服务时间 (service_at); parts, breaches, rework and satisfaction are
counted with their record. Follow-ups (补录) count by their own 沟通时间.

With `dims` (a reader whose scope is a department or everything, summed.Dimensions) the
figures are sums of the per-day summary, plus, for a manager, what their scope holds outside
their department counted live; without it (客服 staff: their own records) every figure is
counted live. Both give the same figures (tests/service/statistics/test_summary.py)."""

from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, case, func, select, type_coerce
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Customer
from app.models.base import Money, Quantity
from app.models.customers import CustomerType
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import (
    OPEN_STATUSES,
    AfterSalesKind,
    ServicePart,
    ServiceRecord,
    ServiceType,
)
from app.models.service.visits import ReturnVisit, ReturnVisitStatus
from app.services.service import satisfaction
from app.services.service.statistics import summed
from app.services.service.statistics.periods import Period
from app.services.service.statistics.summed import Dimensions

ZERO = Decimal("0.00")
TOP_PARTS = 10


def _flag(condition):
    """How many rows meet `condition`, as an aggregate (0 without rows)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@dataclass
class Tally:
    """What is counted of a group of records."""

    count: int = 0  # 服务次数
    open: int = 0  # still 待处理/处理中/等待
    rework: int = 0  # 返修 (rework_of_id set)
    response_breached: int = 0  # 响应超时
    resolution_breached: int = 0  # 解决超时
    answered: int = 0  # records with a satisfaction score
    satisfied: int = 0  # … of 4 or 5
    score_total: int = 0

    def add(self, other: "Tally") -> "Tally":
        """Adds `other`'s counts to this one (roll-ups of the grouped rows)."""
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return satisfaction.rate(self.satisfied, self.answered)

    @property
    def satisfaction_mean(self) -> Decimal | None:
        return satisfaction.mean(self.score_total, self.answered)

    @property
    def rework_rate(self) -> Decimal | None:
        return satisfaction.rate(self.rework, self.count)

    @property
    def breached(self) -> int:
        return self.response_breached + self.resolution_breached


@dataclass
class PartsFigure:
    """维修/保养部件 (used in the service) and 配件销售 (sold): lines, quantity, amount."""

    used_lines: int = 0
    used_quantity: Decimal = Decimal(0)
    used_amount: Decimal = ZERO
    sold_lines: int = 0
    sold_quantity: Decimal = Decimal(0)
    sold_amount: Decimal = ZERO
    top: list = field(default_factory=list)  # (name, spec, quantity, amount) by quantity


@dataclass
class FollowUpFigure:
    """跟进: entered in the period, late-entered (补录), and open records past their due."""

    entered: int = 0
    late: int = 0
    overdue: int = 0

    @property
    def late_rate(self) -> Decimal | None:
        return satisfaction.rate(self.late, self.entered)


@dataclass
class VisitFigure:
    """回访: planned in the period (due), done, still due past their date, and the satisfaction
    of the visits made in the period."""

    due: int = 0
    done: int = 0
    overdue: int = 0
    answered: int = 0
    satisfied: int = 0

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return satisfaction.rate(self.satisfied, self.answered)


@dataclass
class Figures:
    period: Period
    total: Tally
    by_type: dict  # ServiceType → Tally, every type
    by_kind: dict  # AfterSalesKind → Tally (售后维护 only), with None for an unset kind
    matrix: dict  # (CustomerType, ServiceType) → Tally
    parts: PartsFigure
    follow_ups: FollowUpFigure
    visits: VisitFigure


def base() -> Select:
    """The statement policy.scope restricts for the statistics: the records, no columns yet."""
    return select(ServiceRecord.id).select_from(ServiceRecord)


def visits_base() -> Select:
    """The same for the return visits (policy.scope with VisitStatistics)."""
    return select(ReturnVisit.id).select_from(ReturnVisit)


def in_period(scoped: Select, period: Period) -> Select:
    """The scoped records whose 服务时间 lies in the period."""
    return scoped.where(ServiceRecord.service_at >= period.start,
                        ServiceRecord.service_at < period.end)


def _counts() -> tuple:
    """The aggregates of a Tally, in its fields' order."""
    r = ServiceRecord
    return (func.count(), _flag(r.status.in_(OPEN_STATUSES)), func.count(r.rework_of_id),
            _flag(r.response_breached), _flag(r.resolution_breached),
            satisfaction.sql_answered(r.satisfaction), satisfaction.sql_satisfied(r.satisfaction),
            satisfaction.sql_total(r.satisfaction))


def _grouped(scoped: Select, period: Period) -> list:
    """One pass over the period's records: every count per customer type × service type ×
    after-sales kind (at most 4 × 4 × 6 groups)."""
    r = ServiceRecord
    # An alias: the scope's own EXISTS on customers must not correlate with this join.
    customer = aliased(Customer)
    query = in_period(scoped, period).with_only_columns(
        customer.type, r.service_type, r.after_sales_kind, *_counts(),
    ).join(customer, customer.id == r.customer_id).group_by(
        customer.type, r.service_type, r.after_sales_kind)
    return db.session.execute(query).all()


def totals(scoped: Select, period: Period, dims: Dimensions | None = None) -> Tally:
    """The period's counts in all, in one statement (the report's month before)."""
    if dims is not None:
        total = Tally(*(int(value) for value in summed.totals(dims, period)))
        rest = summed.outside(scoped, dims)
        return total if rest is None else total.add(totals(rest, period))
    row = db.session.execute(in_period(scoped, period).with_only_columns(*_counts())).one()
    return Tally(*(int(value or 0) for value in row))


def _tallies(rows) -> tuple:
    """(total, by type, by kind, matrix) of the grouped rows."""
    by_type = {kind: Tally() for kind in ServiceType}
    by_kind: dict = {kind: Tally() for kind in AfterSalesKind}
    matrix = {(c, s): Tally() for c in CustomerType for s in ServiceType}
    total = Tally()
    for customer_type, service_type, kind, *counts in rows:
        tally = Tally(*(int(value) for value in counts))
        total.add(tally)
        by_type[service_type].add(tally)
        matrix[(customer_type, service_type)].add(tally)
        if service_type == ServiceType.AFTERSALES:
            by_kind.setdefault(kind, Tally()).add(tally)
    return total, by_type, by_kind, matrix


def figures(scoped: Select, visits_scoped: Select, period: Period, now: datetime,
            dims: Dimensions | None = None) -> Figures:
    """Every figure of the period for the statistics page (`visits_scoped`: the return visits
    the reader may count; `now`: local, for what is overdue; `dims`: the reader's scope on the
    summary, None to count live)."""
    if dims is None:
        return Figures(period, *_tallies(_grouped(scoped, period)), parts(scoped, period),
                       follow_ups(scoped, period, now), visits(visits_scoped, period, now))
    rows, (entered, late) = summed.grouped(dims, period)
    part_rows = summed.parts(dims, period)
    rest = summed.outside(scoped, dims)
    if rest is not None:
        rows += _grouped(rest, period)
        part_rows += _part_rows(rest, period)
    overdue = _overdue(summed.dimensioned(dims), period, now)
    if rest is not None:
        entered, late = (a + b for a, b in zip((entered, late), _entered(rest, period),
                                                strict=True))
        overdue += _overdue(rest, period, now)
    follow = FollowUpFigure(entered, late, overdue)
    return Figures(period, *_tallies(rows), _parts_figure(part_rows), follow,
                   summed_visits(visits_scoped, dims, period, now))


def _part_rows(scoped: Select, period: Period) -> list:
    """(sold, name, spec, lines, quantity, amount) per part of the period's records."""
    p = ServicePart
    return db.session.execute(
        in_period(scoped, period).join(p, p.record_id == ServiceRecord.id).with_only_columns(
            p.sold, p.name, p.spec, func.count(),
            type_coerce(func.coalesce(func.sum(p.quantity), 0), Quantity),
            type_coerce(func.coalesce(func.sum(p.amount), 0), Money))
        .group_by(p.sold, p.name, p.spec)).all()


def _parts_figure(rows) -> PartsFigure:
    """Used and sold (lines, quantity, amount) and the parts most used or sold by quantity,
    added up from the per-part groups (a few hundred)."""
    figure, by_part = PartsFigure(), {}
    for sold, name, spec, lines, quantity, amount in rows:
        prefix = "sold" if sold else "used"
        for suffix, value in (("lines", lines), ("quantity", quantity), ("amount", amount)):
            setattr(figure, f"{prefix}_{suffix}", getattr(figure, f"{prefix}_{suffix}") + value)
        known = by_part.get((name, spec), (Decimal(0), ZERO))
        by_part[(name, spec)] = (known[0] + quantity, known[1] + amount)
    ranked = sorted(by_part.items(), key=lambda item: (-item[1][0], item[0][0], item[0][1] or ""))
    figure.top = [(name, spec, quantity, amount)
                  for (name, spec), (quantity, amount) in ranked[:TOP_PARTS]]
    return figure


def parts(scoped: Select, period: Period) -> PartsFigure:
    """Parts of the period's records, counted live: one pass, grouped by part."""
    return _parts_figure(_part_rows(scoped, period))


def _entered(scoped: Select, period: Period) -> tuple[int, int]:
    """Follow-ups communicated in the period on the scoped records, and the 补录 among them."""
    f = ServiceFollowUp
    entered, late = db.session.execute(
        scoped.with_only_columns(func.count(), _flag(f.late))
        .join(f, f.record_id == ServiceRecord.id)
        .where(f.communicated_at >= period.start, f.communicated_at < period.end)).one()
    return int(entered), int(late or 0)


def _overdue(scoped: Select, period: Period, now: datetime) -> int:
    """The period's scoped records still open whose next follow-up was due before `now` (as of
    now, so never summed by day: the open-follow-up index holds only the open ones' dues)."""
    return int(db.session.scalar(in_period(scoped, period).with_only_columns(func.count()).where(
        ServiceRecord.status.in_(OPEN_STATUSES), ServiceRecord.next_follow_up_due < now)))


def follow_ups(scoped: Select, period: Period, now: datetime) -> FollowUpFigure:
    """Follow-ups communicated in the period on the records the reader may count (补录 among
    them), and the period's records still open whose next follow-up was due before `now`."""
    return FollowUpFigure(*_entered(scoped, period), _overdue(scoped, period, now))


def _visits_overdue(scoped: Select, period: Period, now: datetime) -> int:
    """The period's visits still due past their date as of `now`."""
    v = ReturnVisit
    return int(db.session.scalar(scoped.with_only_columns(func.count()).where(
        v.status == ReturnVisitStatus.DUE, v.due_date < now.date(),
        v.due_date >= period.start.date(), v.due_date < period.end.date())))


def summed_visits(scoped: Select, dims: Dimensions, period: Period, now: datetime) -> VisitFigure:
    """The period's visit figures from the summary; the overdue ones live."""
    due, done, answered, satisfied = summed.visits(dims, period)
    return VisitFigure(due, done, _visits_overdue(scoped, period, now), answered, satisfied)


def visits(scoped: Select, period: Period, now: datetime) -> VisitFigure:
    """Return visits due in the period (done, and still due past their date as of `now`), and
    the satisfaction answers of the visits made in the period."""
    v = ReturnVisit
    due, done = db.session.execute(scoped.with_only_columns(
        func.count(), _flag(v.status == ReturnVisitStatus.DONE))
        .where(v.due_date >= period.start.date(), v.due_date < period.end.date())).one()
    answered, satisfied = db.session.execute(scoped.with_only_columns(
        satisfaction.sql_answered(v.satisfaction), satisfaction.sql_satisfied(v.satisfaction))
        .where(v.visited_at >= period.start, v.visited_at < period.end)).one()
    return VisitFigure(int(due), int(done or 0), _visits_overdue(scoped, period, now),
                       int(answered), int(satisfied or 0))
