"""SLA policies (a8): a standard policy per (service type, priority) with its response and
resolution targets and the calendar they run on, on-site profiles (30 min / 2 h / 4 h on the
7×24 calendar, 001 L325–334) attached to the contracts that promise them, and the runs of the
job that recomputes the stored deadlines of open records."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import Choice, TimestampMixin, choice_column, utcnow
from app.models.service.records import Priority, ServiceType


class SlaKind(Choice):
    STANDARD = ("standard", _l("标准时限"))
    ON_SITE = ("on_site", _l("上门服务承诺"))


class SlaCalendar(Choice):
    """The calendar codes of services.core.worktime.calendar_for."""

    WORK = ("work", _l("工作时间"))
    FULL = ("24x7", _l("7×24 小时（含节假日）"))


class SlaPolicy(TimestampMixin, db.Model):
    """One set of targets, in minutes of its calendar. Standard rows are keyed by (service
    type, priority); on-site profiles have neither and apply through a contract link."""

    __tablename__ = "sla_policies"
    __table_args__ = (
        UniqueConstraint("kind", "service_type", "priority", name="uq_sla_policies_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SlaKind] = mapped_column(choice_column(SlaKind))
    name: Mapped[str] = mapped_column(String(50))
    service_type: Mapped[ServiceType | None] = mapped_column(choice_column(ServiceType))
    priority: Mapped[Priority | None] = mapped_column(choice_column(Priority))
    calendar: Mapped[SlaCalendar] = mapped_column(choice_column(SlaCalendar, 10))
    response_minutes: Mapped[int] = mapped_column(Integer)
    on_site_minutes: Mapped[int | None] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ContractSlaProfile(db.Model):
    """A contract that promises on-site service: its records run on the linked profile."""

    __tablename__ = "contract_sla_profiles"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("sla_policies.id"), index=True)
    attached_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    attached_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RecomputeStatus(Choice):
    QUEUED = ("queued", _l("排队中"))
    RUNNING = ("running", _l("重算中"))
    DONE = ("done", _l("已完成"))
    FAILED = ("failed", _l("失败"))


class SlaRecomputeRun(TimestampMixin, db.Model):
    """One run of the recompute job over the open records, resumable from `last_record_id`
    (records are walked in id order in committed batches)."""

    __tablename__ = "sla_recompute_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[RecomputeStatus] = mapped_column(choice_column(RecomputeStatus),
                                                    default=RecomputeStatus.QUEUED)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    last_record_id: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
