"""Who a customer belongs to (客户信息归属): transfer requests, and referrals (转介绍登记)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import ScopedMixin, User
from app.models.approvals import RequestStatus
from app.models.base import Choice, TimestampMixin, choice_column
from app.models.customers import Customer


class OwnershipRequest(TimestampMixin, db.Model):
    """Another salesperson (or department) asks for a customer; the sales manager decides."""

    __tablename__ = "ownership_requests"
    __table_args__ = (Index("ix_ownership_requests_customer_id", "customer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(choice_column(RequestStatus),
                                                  default=RequestStatus.PENDING)

    customer: Mapped[Customer] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys="OwnershipRequest.requested_by_id")
    from_owner: Mapped[User] = relationship(foreign_keys="OwnershipRequest.from_owner_id")


class ReferralOutcome(Choice):
    FOLLOWING = ("following", _l("跟进中"))
    WON = ("won", _l("已成交"))
    LOST = ("lost", _l("未成交"))


class Referral(ScopedMixin, TimestampMixin, db.Model):
    """老客户转介绍登记表: who referred whom, when, and what came of it."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_owner_id_id", "owner_id", "id"),
                      Index("ix_referrals_department_id_id", "department_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    referrer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    referred_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    referred_name: Mapped[str] = mapped_column(String(100))
    referred_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[ReferralOutcome] = mapped_column(choice_column(ReferralOutcome),
                                                     default=ReferralOutcome.FOLLOWING)
    reward_note: Mapped[str | None] = mapped_column(Text)

    referrer: Mapped[Customer] = relationship(foreign_keys="Referral.referrer_id")
    referred: Mapped[Customer | None] = relationship(foreign_keys="Referral.referred_id")
