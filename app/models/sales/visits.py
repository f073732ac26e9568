"""Customer visits: weekly/daily plans (表5-28) and visit reports (表5-29, 客户拜访记录表)."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import ScopedMixin, User
from app.models.base import Choice, TimestampMixin, choice_column
from app.models.customers import Customer, CustomerType


class VisitStatus(Choice):
    PLANNED = ("planned", _l("计划中"))
    DONE = ("done", _l("已拜访"))
    CANCELLED = ("cancelled", _l("已取消"))


class Interest(Choice):
    """客户在整个洽谈过程中的反应（是否感兴趣）."""

    HIGH = ("high", _l("很感兴趣"))
    SOME = ("some", _l("有一定兴趣"))
    NONE = ("none", _l("不感兴趣"))


class VisitPlan(ScopedMixin, TimestampMixin, db.Model):
    __tablename__ = "visit_plans"
    __table_args__ = (
        Index("ix_visit_plans_owner_date", "owner_id", "planned_date", "id"),
        Index("ix_visit_plans_department_date", "department_id", "planned_date", "id"),
        Index("ix_visit_plans_customer_date", "customer_id", "planned_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    planned_date: Mapped[date] = mapped_column(Date)
    customer_type: Mapped[CustomerType] = mapped_column(choice_column(CustomerType))
    purpose: Mapped[str] = mapped_column(String(200))
    expected_time: Mapped[str | None] = mapped_column(String(50))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    remarks: Mapped[str | None] = mapped_column(Text)
    status: Mapped[VisitStatus] = mapped_column(choice_column(VisitStatus),
                                                default=VisitStatus.PLANNED)

    customer: Mapped[Customer] = relationship()
    owner: Mapped[User] = relationship(foreign_keys="VisitPlan.owner_id")


class VisitReport(ScopedMixin, TimestampMixin, db.Model):
    __tablename__ = "visit_reports"
    __table_args__ = (
        Index("ix_visit_reports_owner_time", "owner_id", "visited_at", "id"),
        Index("ix_visit_reports_department_time", "department_id", "visited_at", "id"),
        Index("ix_visit_reports_customer_time", "customer_id", "visited_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("visit_plans.id"), unique=True)
    visited_at: Mapped[datetime] = mapped_column(DateTime)
    contact_met: Mapped[str] = mapped_column(String(50))
    purpose: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    interest: Mapped[Interest | None] = mapped_column(choice_column(Interest))
    proposal_feedback: Mapped[str | None] = mapped_column(Text)
    objections: Mapped[str | None] = mapped_column(Text)
    next_meeting_date: Mapped[date | None] = mapped_column(Date)
    open_issues: Mapped[str | None] = mapped_column(Text)
    next_topic: Mapped[str | None] = mapped_column(String(200))
    follow_up_actions: Mapped[str | None] = mapped_column(Text)

    customer: Mapped[Customer] = relationship()
    plan: Mapped[VisitPlan | None] = relationship()
    owner: Mapped[User] = relationship(foreign_keys="VisitReport.owner_id")
