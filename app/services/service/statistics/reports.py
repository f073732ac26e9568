"""The reports of spec a10: the weekly service report (周报, 002 L50–52: every Friday, this week's
services and what customers said) and the monthly 服务监督报告 to the GM (002 L28: 服务受理、主动
维护情况, with the breaches and satisfaction). Both are the period's figures plus, for readers
who may see records (policy reads_service_detail), the lines behind them; the sales manager's
copy has the figures only."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.service.records import AfterSalesKind, ServiceRecord
from app.services.service.statistics.figures import Figures, Tally, figures, in_period, totals
from app.services.service.statistics.periods import Period
from app.services.service.statistics.summed import Dimensions

MAX_LINES = 200  # record lines a report lists; the figures count them all


@dataclass
class Lines:
    rows: list = field(default_factory=list)
    total: int = 0

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)


@dataclass
class Report:
    kind: str  # "weekly" | "monthly"
    figures: Figures
    detail: bool  # whether record lines are shown (never for the sales manager)
    records: Lines = field(default_factory=Lines)  # weekly: the week's records
    feedback: Lines = field(default_factory=Lines)  # weekly: those with 客户反馈
    breaches: Lines = field(default_factory=Lines)  # monthly: the breached records
    previous: Tally | None = None  # monthly: the month before, for the trend

    @property
    def maintenance(self) -> Tally:
        """主动维护: the 保养 visits among the after-sales records."""
        return self.figures.by_kind.get(AfterSalesKind.MAINTENANCE) or Tally()


def _lines(query: Select) -> Lines:
    """The first MAX_LINES records of `query` by 服务时间 with what a line shows, and the count."""
    total = db.session.scalar(select(func.count()).select_from(
        query.with_only_columns(ServiceRecord.id).order_by(None).subquery()))
    rows = db.session.scalars(query.options(
        joinedload(ServiceRecord.customer), joinedload(ServiceRecord.handler))
        .order_by(ServiceRecord.service_at, ServiceRecord.id).limit(MAX_LINES)).all()
    return Lines(list(rows), total or 0)


def weekly(scoped: Select, visits: Select, records: Select | None, period: Period,
           now: datetime, dims: Dimensions | None = None) -> Report:
    """The week's figures and, with `records` (policy.scope on ServiceRecord, None for an
    aggregates-only reader), its records and the customers' feedback (`dims`: figures.py)."""
    report = Report("weekly", figures(scoped, visits, period, now, dims),
                    detail=records is not None)
    if records is not None:
        week = in_period(records, period)
        report.records = _lines(week)
        report.feedback = _lines(week.where(ServiceRecord.feedback.is_not(None),
                                            ServiceRecord.feedback != ""))
    return report


def monthly(scoped: Select, visits: Select, records: Select | None, period: Period,
            previous: Period, now: datetime, dims: Dimensions | None = None) -> Report:
    """The month's figures, the month before's totals, and, with `records`, the records whose
    response or resolution was late (`dims`: figures.py)."""
    report = Report("monthly", figures(scoped, visits, period, now, dims),
                    detail=records is not None)
    report.previous = totals(scoped, previous, dims)
    if records is not None:
        report.breaches = _lines(in_period(records, period).where(or_(
            ServiceRecord.response_breached.is_(True),
            ServiceRecord.resolution_breached.is_(True))))
    return report
