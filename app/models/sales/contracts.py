"""Sales contracts (合同登记 表5-17/5-19, 评审 表5-14), their lines, payment terms and changes
(表5-15/5-16)."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import ScopedMixin, User
from app.models.approvals import RequestStatus
from app.models.base import (
    Choice,
    Money,
    Quantity,
    SearchTokens,
    TimestampMixin,
    choice_column,
)
from app.models.customers import Customer


class ContractKind(Choice):
    SALES = ("sales", _l("销售合同"))
    ORDER = ("order", _l("订货合同"))
    FRAMEWORK = ("framework", _l("框架协议"))
    SERVICE = ("service", _l("服务合同"))
    OTHER = ("other", _l("其他"))


class TemplateSource(Choice):
    """合同版本 (表5-14)."""

    TENDER = ("tender", _l("标书要求"))
    CUSTOMER = ("customer", _l("客户版本"))
    COMPANY = ("company", _l("公司格式合同"))


class ContractStatus(Choice):
    DRAFT = ("draft", _l("草稿"))
    SUBMITTED = ("submitted", _l("评审中"))
    ACTIVE = ("active", _l("已生效"))
    CLOSED = ("closed", _l("已关闭"))


class TermKind(Choice):
    ADVANCE = ("advance", _l("预付款"))
    ACCEPTANCE = ("acceptance", _l("验收款"))
    RETENTION = ("retention", _l("质保金"))


class Contract(ScopedMixin, TimestampMixin, db.Model):
    __tablename__ = "contracts"
    __table_args__ = (
        Index("ix_contracts_owner_scope", "owner_id", "id", "confidentiality"),
        Index("ix_contracts_department_scope", "department_id", "id", "confidentiality"),
        Index("ix_contracts_customer_id", "customer_id"),
        Index("ix_contracts_status_id", "status", "id"),
        # The receivables aging reads these alone (no table row): contracts in scope and in
        # force, in customer or salesperson order, so the GROUP BY needs no sort.
        Index("ix_contracts_customer_aging", "customer_id", "status", "confidentiality", "id",
              "owner_id"),
        Index("ix_contracts_owner_aging", "owner_id", "status", "confidentiality", "id",
              "customer_id"),
        # The same for one department (a manager's scope): no table row, no sort.
        Index("ix_contracts_department_customer_aging", "department_id", "customer_id",
              "status", "confidentiality", "id", "owner_id"),
        Index("ix_contracts_department_owner_aging", "department_id", "owner_id", "status",
              "confidentiality", "id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[ContractKind] = mapped_column(choice_column(ContractKind))
    template_source: Mapped[TemplateSource | None] = mapped_column(choice_column(TemplateSource))
    sign_date: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    delivery_date: Mapped[date | None] = mapped_column(Date)
    delivery_place: Mapped[str | None] = mapped_column(String(200))
    acceptance_method: Mapped[str | None] = mapped_column(String(200))
    quality_requirements: Mapped[str | None] = mapped_column(Text)
    has_penalty: Mapped[bool] = mapped_column(Boolean, default=False)
    penalty_clause: Mapped[str | None] = mapped_column(Text)
    key_terms: Mapped[str | None] = mapped_column(Text)
    sample_sealed: Mapped[bool] = mapped_column(Boolean, default=False)
    copies: Mapped[int | None] = mapped_column(Integer)
    pages_per_copy: Mapped[int | None] = mapped_column(Integer)
    remarks: Mapped[str | None] = mapped_column(Text)
    # Sum of the lines, kept by the service in the same transaction as the lines.
    total_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    status: Mapped[ContractStatus] = mapped_column(choice_column(ContractStatus),
                                                   default=ContractStatus.DRAFT)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    search_text: Mapped[list[str] | None] = mapped_column(SearchTokens, deferred=True)

    customer: Mapped[Customer] = relationship()
    owner: Mapped[User] = relationship(foreign_keys="Contract.owner_id")
    created_by: Mapped[User] = relationship(foreign_keys="Contract.created_by_id")
    lines: Mapped[list["ContractLine"]] = relationship(
        order_by="ContractLine.position", cascade="all, delete-orphan", back_populates="contract")
    # Due date, then id: a total order, so terms due the same day keep their order (and the
    # signed snapshot its hash) when a row is rewritten (paid_total; PostgreSQL moves it).
    terms: Mapped[list["PaymentTerm"]] = relationship(
        order_by="(PaymentTerm.due_date, PaymentTerm.id)", cascade="all, delete-orphan",
        back_populates="contract")

    __mapper_args__ = {"version_id_col": version}

    SEARCH_FIELDS = ("name", "number")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class ContractLine(db.Model):
    """A product line: 产品名称, 规格型号, 单位, 数量, 单价, 金额 (= 数量 × 单价, to the fen)."""

    __tablename__ = "contract_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product: Mapped[str] = mapped_column(String(100))
    spec: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(20))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)

    contract: Mapped[Contract] = relationship(back_populates="lines")


class PaymentTerm(db.Model):
    """A payment term (付款方式): 预付款 / 验收款 / 质保金 with its amount and due date."""

    __tablename__ = "payment_terms"
    __table_args__ = (
        Index("ix_payment_terms_due_date", "due_date"),
        # The terms still owing something, with all the aging reads (covering, partial).
        Index("ix_payment_terms_open", "contract_id", "due_date", "amount", "paid_total",
              sqlite_where=text("amount > paid_total"),
              postgresql_where=text("amount > paid_total")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    kind: Mapped[TermKind] = mapped_column(choice_column(TermKind))
    amount: Mapped[Decimal] = mapped_column(Money)
    due_date: Mapped[date] = mapped_column(Date)
    # The sum of the term's payments: derived, never typed. payments.sync_paid_totals keeps it
    # in the same flush (so the same transaction) as every insert, update or delete of a
    # payment; payments.paid_total_mismatches checks it against the payments.
    paid_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"),
                                                server_default="0")

    contract: Mapped[Contract] = relationship(back_populates="terms")


class ChangeInitiator(Choice):
    CUSTOMER = ("customer", _l("客户"))
    COMPANY = ("company", _l("本公司"))


class ChangeBasis(Choice):
    FAX = ("fax", _l("传真"))
    MANUSCRIPT = ("manuscript", _l("客户手稿"))
    AGREEMENT = ("agreement", _l("协议"))
    TELEGRAM = ("telegram", _l("电报"))
    PHONE = ("phone", _l("电话记录"))
    SUPPLEMENT = ("supplement", _l("补充合同"))
    OTHER = ("other", _l("其他"))


class ContractChange(TimestampMixin, db.Model):
    """合同变更申请单 (表5-15): what changes, who asked, on what basis, whom to notify; the
    proposed contract (JSON) becomes a new version when its flow approves it."""

    __tablename__ = "contract_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    base_version: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    initiated_by: Mapped[ChangeInitiator] = mapped_column(choice_column(ChangeInitiator))
    basis: Mapped[str] = mapped_column(String(200))  # comma-separated ChangeBasis codes
    basis_other: Mapped[str | None] = mapped_column(String(100))
    notify_departments: Mapped[str] = mapped_column(String(200), default="")  # DeptCode list
    proposed: Mapped[str] = mapped_column(Text)  # JSON: the contract's fields, lines, terms
    remarks: Mapped[str | None] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(choice_column(RequestStatus),
                                                  default=RequestStatus.PENDING)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime)

    contract: Mapped[Contract] = relationship()
    requested_by: Mapped[User] = relationship()
