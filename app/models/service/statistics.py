"""The statistics' per-day figures (issue 12 req. 14): what 客服统计 and the reports sum for a
period, one row per day and dimension, kept exact with the records by
services/service/statistics/days.py (every flush that touches a counted row recomputes its
days before the commit). Rows are additive: a period's figure is the SUM of its days' rows
within the reader's dimensions (department, confidentiality up to the clearance), so nothing
personal is stored. A day may hold several rows of one key (the records' and the follow-ups'
are written apart); readers always sum.

Each month is also rolled up (monthly rows, day = the month's first day, recomputed from its
day rows with them), so that a year sums twelve months' rows rather than 365 days'; a period
that is not whole months reads the day rows of its partial months."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.extensions import db
from app.models.accounts import Level
from app.models.base import LevelType, Money, Quantity, choice_column
from app.models.customers import CustomerType
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import AfterSalesKind, ServiceType
from app.models.service.visits import ReturnVisit


class DayRow:
    """What every summary row is keyed by: the day (or, with `monthly`, the month from `day`
    on), the department and the confidentiality (the readers' scope and clearance)."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (Index(f"ix_{cls.__tablename__}_day", "monthly", "day", "department_id",
                      "confidentiality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    monthly: Mapped[bool] = mapped_column(Boolean, default=False)
    confidentiality: Mapped[Level] = mapped_column(LevelType(Level))

    @declared_attr
    def department_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("departments.id"))


class ServiceStatisticsDay(DayRow, db.Model):
    """The records of a day (by 服务时间) and the follow-ups of a day (by 沟通时间), counted per
    department, confidentiality, customer type, service type and after-sales kind."""

    __tablename__ = "service_statistics_days"

    customer_type: Mapped[CustomerType] = mapped_column(choice_column(CustomerType))
    service_type: Mapped[ServiceType] = mapped_column(choice_column(ServiceType))
    after_sales_kind: Mapped[AfterSalesKind | None] = mapped_column(choice_column(AfterSalesKind))
    records: Mapped[int] = mapped_column(Integer, default=0)
    open: Mapped[int] = mapped_column(Integer, default=0)
    rework: Mapped[int] = mapped_column(Integer, default=0)
    response_breached: Mapped[int] = mapped_column(Integer, default=0)
    resolution_breached: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)
    score_total: Mapped[int] = mapped_column(Integer, default=0)
    follow_ups: Mapped[int] = mapped_column(Integer, default=0)
    late_follow_ups: Mapped[int] = mapped_column(Integer, default=0)


class ServiceStatisticsPartDay(DayRow, db.Model):
    """The parts of a day's records, per part (name, spec) and used/sold: the parts table and
    the most used parts are sums of these."""

    __tablename__ = "service_statistics_part_days"

    sold: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(100))
    spec: Mapped[str | None] = mapped_column(String(100))
    lines: Mapped[int] = mapped_column(Integer, default=0)
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))


class ServiceStatisticsVisitDay(DayRow, db.Model):
    """Return visits due on a day (and of those, done), and the answers of the visits made on
    a day, per department and confidentiality."""

    __tablename__ = "service_statistics_visit_days"

    due: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)


# A day's recompute reads the follow-ups communicated that day and the visits made that day;
# declared here (the statistics need them) rather than in the ledgers' own modules.
Index("ix_service_follow_ups_communicated", ServiceFollowUp.communicated_at,
      ServiceFollowUp.record_id)
Index("ix_return_visits_visited", ReturnVisit.visited_at)
Index("ix_return_visits_due_date", ReturnVisit.due_date)
