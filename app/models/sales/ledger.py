"""The sales ledger (年度产品销售台账 表5-12) and payments received (回款)."""

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import ScopedMixin, User
from app.models.approvals import RequestStatus
from app.models.base import Choice, Money, Quantity, TimestampMixin, choice_column
from app.models.customers import Customer
from app.models.sales.contracts import Contract, PaymentTerm


class EntryKind(Choice):
    """销售 / 销货退回 / 销货折让 (月份销售实绩统计表 表5-11)."""

    SALE = ("sale", _l("销售"))
    RETURN = ("return", _l("销货退回"))
    ALLOWANCE = ("allowance", _l("销货折让"))


class PaymentMethod(Choice):
    """付款方式, stored as a code and shown in the user's language."""

    BANK_TRANSFER = ("bank_transfer", _l("银行转账"))
    ACCEPTANCE_BILL = ("acceptance_bill", _l("银行承兑汇票"))
    CHECK = ("check", _l("支票"))
    CASH = ("cash", _l("现金"))
    OTHER = ("other", _l("其他"))


class SalesEntry(ScopedMixin, TimestampMixin, db.Model):
    """One ledger row. Its amount is 数量 × 单价; what is paid and owed is computed from the
    contract's payments, never typed."""

    __tablename__ = "sales_entries"
    __table_args__ = (
        Index("ix_sales_entries_owner_date", "owner_id", "entry_date", "id"),
        Index("ix_sales_entries_department_date", "department_id", "entry_date", "id"),
        Index("ix_sales_entries_customer_date", "customer_id", "entry_date"),
        Index("ix_sales_entries_contract_id", "contract_id"),
        # An original is reversed (红冲) once at most.
        Index("ux_sales_entries_reverses_id", "reverses_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[EntryKind] = mapped_column(choice_column(EntryKind), default=EntryKind.SALE)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    product: Mapped[str] = mapped_column(String(100))
    spec: Mapped[str | None] = mapped_column(String(100))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)
    cost: Mapped[Decimal | None] = mapped_column(Money)  # 成本, for the gross margin
    invoice_no: Mapped[str | None] = mapped_column(String(50))
    remarks: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # A reversal row (红冲) negates the row it reverses, with the reason; never edited itself.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("sales_entries.id"))
    reversal_reason: Mapped[str | None] = mapped_column(Text)

    customer: Mapped[Customer] = relationship()
    contract: Mapped[Contract | None] = relationship()
    owner: Mapped[User] = relationship(foreign_keys="SalesEntry.owner_id")
    reverses: Mapped["SalesEntry | None"] = relationship(remote_side=[id],
                                                         back_populates="reversed_by")
    reversed_by: Mapped["SalesEntry | None"] = relationship(back_populates="reverses",
                                                            uselist=False)


class Payment(ScopedMixin, TimestampMixin, db.Model):
    """A payment received (回款) against one of a contract's payment terms."""

    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_contract_id", "contract_id"),
        Index("ix_payments_term_id", "term_id"),
        Index("ix_payments_owner_date", "owner_id", "paid_on", "id"),
        Index("ix_payments_department_date", "department_id", "paid_on", "id"),
        Index("ux_payments_reverses_id", "reverses_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    term_id: Mapped[int] = mapped_column(ForeignKey("payment_terms.id"))
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[PaymentMethod | None] = mapped_column(choice_column(PaymentMethod, 20))
    reference: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # A reversal (红冲) is a payment of the opposite amount that names the one it reverses.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    reversal_reason: Mapped[str | None] = mapped_column(Text)

    contract: Mapped[Contract] = relationship()
    term: Mapped[PaymentTerm] = relationship()
    reverses: Mapped["Payment | None"] = relationship(remote_side=[id],
                                                      back_populates="reversed_by")
    reversed_by: Mapped["Payment | None"] = relationship(back_populates="reverses",
                                                         uselist=False)


class ReversalRequest(ScopedMixin, TimestampMixin, db.Model):
    """A reversal above the approval threshold, waiting for the manager's signature: the
    reversal row is written only when it is approved. It names a payment or a ledger row."""

    __tablename__ = "reversal_requests"
    __table_args__ = (
        Index("ix_reversal_requests_payment", "payment_id", "status"),
        Index("ix_reversal_requests_entry", "entry_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("sales_entries.id"))
    amount: Mapped[Decimal] = mapped_column(Money)  # the original's, as submitted
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(choice_column(RequestStatus),
                                                  default=RequestStatus.PENDING)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    payment: Mapped[Payment | None] = relationship()
    entry: Mapped[SalesEntry | None] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])

    @property
    def original(self) -> "Payment | SalesEntry":
        """The payment or ledger row to reverse."""
        return self.payment if self.payment_id is not None else self.entry
