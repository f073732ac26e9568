"""The duty roster (值班情况登记表, 001 L48; 节假日服务保障, 002 L66–68) and fault analysis reports
(故障分析报告, 002 篇二 七 L62–64) of 客服部."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import Level, User
from app.models.base import Choice, LevelType, Quantity, TimestampMixin, choice_column
from app.models.customers import Customer
from app.models.service.records import ServiceRecord


class DutyShift(TimestampMixin, db.Model):
    """One person's duty on one day: planned by the 客服 manager (日期, 值班人员), filled in by
    the person on duty (交接时间, 工作内容, 工作时长, 备注)."""

    __tablename__ = "service_duty_shifts"
    __table_args__ = (
        UniqueConstraint("duty_date", "user_id", name="uq_service_duty_shifts_day_user"),
        Index("ix_service_duty_shifts_department", "department_id", "duty_date", "id"),
        Index("ix_service_duty_shifts_user", "user_id", "duty_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_date: Mapped[date] = mapped_column(Date)  # 日期
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # 值班人员
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))  # 客服部
    handover_at: Mapped[datetime | None] = mapped_column(DateTime)  # 交接时间 (local)
    work_content: Mapped[str | None] = mapped_column(Text)  # 工作内容
    hours: Mapped[Decimal | None] = mapped_column(Quantity)  # 工作时长 (hours, exact)
    remarks: Mapped[str | None] = mapped_column(Text)  # 备注
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")


class FaultStatus(Choice):
    OPEN = ("open", _l("处理中"))
    COMPLETED = ("completed", _l("已完成"))


class FaultReport(TimestampMixin, db.Model):
    """A major fault: reported at once (发生时间、地点、现象、处理预案), completed afterwards
    (影响、处理情况、原因分析、纠正预防措施). Its confidentiality is the customer's."""

    __tablename__ = "service_fault_reports"
    __table_args__ = (
        Index("ix_service_fault_reports_scope", "department_id", "status", "id",
              "confidentiality"),
        Index("ix_service_fault_reports_customer", "customer_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    service_record_id: Mapped[int | None] = mapped_column(ForeignKey("service_records.id"),
                                                          index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    confidentiality: Mapped[Level] = mapped_column(LevelType(Level), default=Level.INTERNAL)
    status: Mapped[FaultStatus] = mapped_column(choice_column(FaultStatus),
                                                default=FaultStatus.OPEN)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)  # 发生时间 (local)
    place: Mapped[str] = mapped_column(String(200))  # 地点
    symptoms: Mapped[str] = mapped_column(Text)  # 现象
    plan: Mapped[str] = mapped_column(Text)  # 处理预案
    impact: Mapped[str | None] = mapped_column(Text)  # 造成的影响
    handling: Mapped[str | None] = mapped_column(Text)  # 处理情况
    cause: Mapped[str | None] = mapped_column(Text)  # 原因分析
    actions: Mapped[str | None] = mapped_column(Text)  # 采取的纠正预防措施
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)

    # Joined: every page, notice and print of a report names its customer (one JOIN, never a
    # query from a template).
    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)
    service_record: Mapped[ServiceRecord | None] = relationship(lazy="raise")
    reported_by: Mapped[User] = relationship(foreign_keys=[reported_by_id], lazy="raise")
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id],
                                                     lazy="raise")
