"""Follow-ups (跟进, 000 L6 block 3 and 004 L40) on service records, and the cadence rule
table (004 L38) from which each open record's next follow-up due date is computed."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.base import Choice, TimestampMixin, choice_column, utcnow
from app.models.service.records import ServiceRecord


class FollowUpResult(Choice):
    """跟进结果 (000 L6): 客户放弃 ends the record's follow-ups."""

    UNRESOLVED = ("unresolved", _l("问题未解决"))
    RESOLVED = ("resolved", _l("已解决"))
    ABANDONED = ("abandoned", _l("客户放弃"))


class CadenceBasis(Choice):
    """What a cadence rule is keyed on: the customer's grade, or the record's priority 高
    (which uses its own interval whatever the grade)."""

    GRADE_A = ("A", _l("A类客户"))
    GRADE_B = ("B", _l("B类客户"))
    GRADE_C = ("C", _l("C类客户"))
    HIGH = ("high", _l("优先级高"))


class ServiceFollowUp(db.Model):
    """One follow-up of a service record: when the customer was spoken to (沟通时间), when it
    was entered, and 补录 (late) when entered more than an hour after the communication
    (004 L200: counted, never refused). Never edited: the next follow-up adds to it."""

    __tablename__ = "service_follow_ups"
    __table_args__ = (
        Index("ix_service_follow_ups_record", "record_id", "communicated_at", "id"),
        Index("ix_service_follow_ups_user", "user_id", "communicated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("service_records.id"))
    communicated_at: Mapped[datetime] = mapped_column(DateTime)  # 沟通时间 (local, minutes)
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)  # stamp, UTC
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # 跟进人员
    points: Mapped[str] = mapped_column(Text)  # 沟通要点
    progress: Mapped[str | None] = mapped_column(Text)  # 进展情况
    next_action: Mapped[str | None] = mapped_column(String(200))  # 下一步行动
    next_due: Mapped[date | None] = mapped_column(Date)  # 下一步行动的期限
    result: Mapped[FollowUpResult] = mapped_column(choice_column(FollowUpResult))  # 跟进结果
    remarks: Mapped[str | None] = mapped_column(Text)  # 备注
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # 补录

    record: Mapped[ServiceRecord] = relationship(lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")


class FollowUpCadence(TimestampMixin, db.Model):
    """The follow-up interval of one basis (A 7, B 14, C 30 days; 高 7), seeded by the
    migration and edited by the 客服部 manager."""

    __tablename__ = "service_follow_up_cadences"

    id: Mapped[int] = mapped_column(primary_key=True)
    basis: Mapped[CadenceBasis] = mapped_column(choice_column(CadenceBasis), unique=True)
    interval_days: Mapped[int] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
