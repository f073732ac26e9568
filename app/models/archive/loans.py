"""Loans (借阅) of filed items: a request names items of one department, a method, a purpose and
a period; the approval engine decides it (002 篇七 1.5: the requester's own department's items
by its manager, another department's by the GM), and from then on the loan carries its due
time. Online reading and copies open and close by that time alone; a paper loan is handed out
and taken back by the archivist, who checks it is complete."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import Department, Level, User
from app.models.archive.items import ArchiveItem
from app.models.base import Choice, LevelType, TimestampMixin, choice_column

LOAN_FLOW = "archive.loan"
DEFAULT_DAYS = 7
MAX_DAYS = 30  # the whole loan, its one renewal included


class LoanMethod(Choice):
    ONLINE = ("online", _l("在线查阅"))
    COPY = ("copy", _l("复制（打印/下载）"))
    PAPER = ("paper", _l("纸质外借"))


class LoanStatus(Choice):
    PENDING = ("pending", _l("审批中"))
    APPROVED = ("approved", _l("已批准"))  # online and copies: open until due; paper: to hand out
    LENT = ("lent", _l("已借出"))  # paper, in the borrower's hands
    RETURNED = ("returned", _l("已归还"))
    EXPIRED = ("expired", _l("已到期"))
    REJECTED = ("rejected", _l("已驳回"))
    WITHDRAWN = ("withdrawn", _l("已撤回"))


class ReturnCondition(Choice):
    COMPLETE = ("complete", _l("完整"))
    DAMAGED = ("damaged", _l("缺损"))


class ArchiveLoan(TimestampMixin, db.Model):
    """One loan request and its life. `department_id` is the department the items belong to
    (a request spanning departments is split into one loan each), `confidentiality` the highest
    level among them: only people cleared for it see the loan or sign it."""

    __tablename__ = "archive_loans"
    __table_args__ = (
        Index("ix_archive_loans_borrower", "borrower_id", "id"),
        Index("ix_archive_loans_department", "department_id", "id"),
        Index("ix_archive_loans_borrower_department", "borrower_department_id", "id"),
        Index("ix_archive_loans_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    borrower_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    method: Mapped[LoanMethod] = mapped_column(choice_column(LoanMethod))
    purpose: Mapped[str] = mapped_column(String(200))
    days: Mapped[int] = mapped_column(Integer)
    renewal_days: Mapped[int | None] = mapped_column(Integer)  # the one renewal, once taken
    confidentiality: Mapped[Level] = mapped_column(LevelType(Level))
    status: Mapped[LoanStatus] = mapped_column(choice_column(LoanStatus),
                                               default=LoanStatus.PENDING)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)  # set once approved
    handed_out_at: Mapped[datetime | None] = mapped_column(DateTime)
    handed_out_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    return_condition: Mapped[ReturnCondition | None] = mapped_column(
        choice_column(ReturnCondition))
    return_note: Mapped[str | None] = mapped_column(Text)

    borrower: Mapped[User] = relationship(foreign_keys=[borrower_id], lazy="raise")
    borrower_department: Mapped[Department] = relationship(
        foreign_keys=[borrower_department_id], lazy="raise")
    department: Mapped[Department] = relationship(foreign_keys=[department_id], lazy="raise")
    handed_out_by: Mapped[User | None] = relationship(foreign_keys=[handed_out_by_id],
                                                      lazy="raise")
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id], lazy="raise")
    lines: Mapped[list["ArchiveLoanItem"]] = relationship(
        back_populates="loan", order_by="ArchiveLoanItem.id", cascade="all, delete-orphan",
        lazy="raise")

    def __str__(self) -> str:
        return f"#{self.id}"


class ArchiveLoanItem(db.Model):
    """One item lent by a loan."""

    __tablename__ = "archive_loan_items"
    __table_args__ = (
        UniqueConstraint("loan_id", "item_id", name="uq_archive_loan_items_loan_item"),
        Index("ix_archive_loan_items_item", "item_id", "loan_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("archive_loans.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("archive_items.id"))

    loan: Mapped[ArchiveLoan] = relationship(back_populates="lines")
    item: Mapped[ArchiveItem] = relationship(lazy="raise")
