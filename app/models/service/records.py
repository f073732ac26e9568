"""Service records (表2 客户服务记录表, 004 L128–194, with the 记录规范 extras and the after-sales
ledger's blocks, 000 L2–14): one per customer contact, numbered customer number + sequence,
with the parts used or sold and an append-only history (assignments, transfers, status
changes, the customer's confirmation, new versions) from which the SLA clock is computed."""

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import Department, Level, User
from app.models.base import (
    Choice,
    LevelType,
    Money,
    Quantity,
    TimestampMixin,
    choice_column,
    utcnow,
)
from app.models.customers import Customer


class ServiceType(Choice):
    PRESALES = ("presales", _l("售前咨询"))
    INSALES = ("insales", _l("售中支持"))
    AFTERSALES = ("aftersales", _l("售后维护"))
    VALUE_ADDED = ("value_added", _l("增值服务"))


class AfterSalesKind(Choice):
    """The after-sales ledger's 服务类型 (000 L4, 001 L34), for 售后维护 records only."""

    REPAIR = ("repair", _l("维修"))
    MAINTENANCE = ("maintenance", _l("保养"))
    INSTALLATION = ("installation", _l("安装"))
    RETURN = ("return", _l("退换货"))
    OTHER = ("other", _l("其他"))


class Priority(Choice):
    HIGH = ("high", _l("高"))
    MEDIUM = ("medium", _l("中"))
    LOW = ("low", _l("低"))


class NeedTag(Choice):
    """客户需求标签 (004 L24), stored comma-separated in ServiceRecord.tags."""

    PRODUCT = ("product", _l("产品咨询"))
    SUPPORT = ("support", _l("技术支持"))
    COOPERATION = ("cooperation", _l("合作洽谈"))


class ServiceStatus(Choice):
    """处理进度. The two waiting states stop the SLA clock (paused states)."""

    PENDING = ("pending", _l("待处理"))
    PROCESSING = ("processing", _l("处理中"))
    WAITING_CUSTOMER = ("waiting_customer", _l("等待客户"))
    WAITING_PARTS = ("waiting_parts", _l("等待配件"))
    DONE = ("done", _l("已完成"))
    CLOSED = ("closed", _l("已关闭"))


OPEN_STATUSES = (ServiceStatus.PENDING, ServiceStatus.PROCESSING,
                 ServiceStatus.WAITING_CUSTOMER, ServiceStatus.WAITING_PARTS)
PAUSED_STATUSES = (ServiceStatus.WAITING_CUSTOMER, ServiceStatus.WAITING_PARTS)


class ConfirmationMethod(Choice):
    """How the customer confirmed (客户确认, 001 L219–227 [prop])."""

    PAPER = ("paper", _l("纸质签字扫描"))
    PHONE = ("phone", _l("电话"))
    EMAIL = ("email", _l("邮件"))
    SURVEY = ("survey", _l("线上问卷"))


class ServiceEventKind(Choice):
    CREATED = ("created", _l("登记"))
    ASSIGNED = ("assigned", _l("指派"))
    TRANSFERRED = ("transferred", _l("转交"))
    STATUS = ("status", _l("状态变更"))
    CONFIRMED = ("confirmed", _l("客户确认"))
    REVISED = ("revised", _l("新版本"))
    ARRIVED = ("arrived", _l("到达现场"))


service_collaborators = Table(
    "service_record_collaborators",
    db.Model.metadata,
    Column("record_id", ForeignKey("service_records.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class ServiceRecord(TimestampMixin, db.Model):
    """One customer contact. Routed to 客服部 (department_id) whoever registered it; the
    confidentiality is the customer's. SLA deadlines are stored, never computed on a list."""

    __tablename__ = "service_records"
    __table_args__ = (
        Index("ix_service_records_department_scope", "department_id", "status", "id",
              "confidentiality"),
        Index("ix_service_records_handler", "handler_id", "status", "id"),
        Index("ix_service_records_first_receiver", "first_receiver_id", "id"),
        Index("ix_service_records_customer", "customer_id", "id"),
        Index("ix_service_records_open_resolution", "status", "resolution_due"),
        Index("ix_service_records_service_at", "service_at"),
        # The manager's list: a status or 重大 filter newest first, and the overdue follow-ups
        # of a department by due time (the scope is an OR, which no scope index serves).
        Index("ix_service_records_status_id", "status", "id"),
        # A search under a status filter: each matching customer's records of that status.
        Index("ix_service_records_status_customer", "status", "customer_id"),
        Index("ix_service_records_major_id", "major", "id"),
        Index("ix_service_records_department_follow_up", "department_id",
              "next_follow_up_due"),
        # Statistics (0021): the open records past their follow-up due ("as of now"), of all
        # departments or of one, read from the index alone; and a 客服 person's own records of
        # a period (the live, per-person statistics).
        Index("ix_service_records_open_follow_up", "status", "service_at",
              "next_follow_up_due", "confidentiality", "department_id"),
        Index("ix_service_records_department_open", "department_id", "status", "service_at",
              "next_follow_up_due", "confidentiality"),
        Index("ix_service_records_handler_period", "handler_id", "service_at"),
        Index("ix_service_records_receiver_period", "first_receiver_id", "service_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # 服务编号
    sequence: Mapped[int] = mapped_column(Integer)  # per customer, grows past 999
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    confidentiality: Mapped[Level] = mapped_column(LevelType(Level), default=Level.INTERNAL)
    service_type: Mapped[ServiceType] = mapped_column(choice_column(ServiceType))
    after_sales_kind: Mapped[AfterSalesKind | None] = mapped_column(choice_column(AfterSalesKind))
    priority: Mapped[Priority] = mapped_column(choice_column(Priority), default=Priority.MEDIUM)
    tags: Mapped[str] = mapped_column(String(100), default="")  # NeedTag codes, comma-separated
    service_at: Mapped[datetime] = mapped_column(DateTime)  # 服务时间 (local, minutes)
    communicated_at: Mapped[datetime | None] = mapped_column(DateTime)  # 沟通时间
    content: Mapped[str] = mapped_column(Text)  # 服务内容
    request_text: Mapped[str | None] = mapped_column(Text)  # 客户需求描述
    customer_contact: Mapped[str | None] = mapped_column(String(50))  # 对接人
    contact_phone: Mapped[str | None] = mapped_column(String(20))  # 联系电话 (PII, masked)
    expected_at: Mapped[datetime | None] = mapped_column(DateTime)  # 客户期望解决时间
    place: Mapped[str | None] = mapped_column(String(200))  # 服务地点或项目名称
    delivery_address: Mapped[str | None] = mapped_column(String(200))  # 收货地址
    major: Mapped[bool] = mapped_column(Boolean, default=False)  # 重大: the GM is told at once
    status: Mapped[ServiceStatus] = mapped_column(choice_column(ServiceStatus, 20),
                                                  default=ServiceStatus.PENDING)
    first_receiver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # 首问责任人
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # 负责人
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    rework_of_id: Mapped[int | None] = mapped_column(ForeignKey("service_records.id"),
                                                     index=True)
    solution: Mapped[str | None] = mapped_column(Text)  # 解决方案
    result: Mapped[str | None] = mapped_column(Text)  # 服务结果
    feedback: Mapped[str | None] = mapped_column(Text)  # 客户反馈
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)  # 1–5, 5 非常满意
    remarks: Mapped[str | None] = mapped_column(Text)
    # 客户确认: required before 已关闭.
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmed_by: Mapped[str | None] = mapped_column(String(50))  # the customer's person
    confirmation_method: Mapped[ConfirmationMethod | None] = mapped_column(
        choice_column(ConfirmationMethod))
    confirmation_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    abandoned: Mapped[bool] = mapped_column(Boolean, default=False)  # 客户放弃
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # SLA, stored by services/service/sla (recomputed by a job, never per list row).
    sla_policy_id: Mapped[int | None] = mapped_column(Integer)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime)
    response_due: Mapped[datetime | None] = mapped_column(DateTime)
    resolution_due: Mapped[datetime | None] = mapped_column(DateTime)
    response_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    resolution_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    # On-site commitment (到场时限, 001 L325–334): set only where the record's contract promises
    # it and the work is at the customer's site; arrived_at is entered by the handler.
    onsite_due: Mapped[datetime | None] = mapped_column(DateTime)
    arrived_at: Mapped[datetime | None] = mapped_column(DateTime)  # 到达现场 (local)
    onsite_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    sla_computed_at: Mapped[datetime | None] = mapped_column(DateTime)
    next_follow_up_due: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    customer: Mapped[Customer] = relationship(lazy="raise")
    department: Mapped[Department] = relationship(lazy="raise")
    first_receiver: Mapped[User] = relationship(foreign_keys=[first_receiver_id], lazy="raise")
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id], lazy="raise")
    collaborators: Mapped[list[User]] = relationship(secondary=service_collaborators,
                                                     lazy="raise")
    parts: Mapped[list["ServicePart"]] = relationship(
        back_populates="record", order_by="ServicePart.position", lazy="raise",
        cascade="all, delete-orphan")
    events: Mapped[list["ServiceEvent"]] = relationship(
        back_populates="record", order_by="ServiceEvent.id", lazy="raise")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ServicePart(db.Model):
    """更换部件/配件 (000 L6 block 4): used in the service, or sold to the customer."""

    __tablename__ = "service_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("service_records.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    spec: Mapped[str | None] = mapped_column(String(100))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    sold: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_price: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))

    record: Mapped[ServiceRecord] = relationship(back_populates="parts", lazy="raise")


class ServiceEvent(db.Model):
    """The record's history, append-only: who did what when, with the reason. Status events
    carry from/to, so the SLA clock knows when it was paused."""

    __tablename__ = "service_events"
    __table_args__ = (Index("ix_service_events_record", "record_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("service_records.id"))
    kind: Mapped[ServiceEventKind] = mapped_column(choice_column(ServiceEventKind))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[ServiceStatus | None] = mapped_column(choice_column(ServiceStatus, 20))
    to_status: Mapped[ServiceStatus | None] = mapped_column(choice_column(ServiceStatus, 20))
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[str | None] = mapped_column(Text)  # JSON of the version it replaced

    record: Mapped[ServiceRecord] = relationship(back_populates="events", lazy="raise")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")
