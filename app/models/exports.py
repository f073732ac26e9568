"""Exports of personal data in clear (外呼名单: the customer list with full phone numbers):
who asked, why, for which filtered list, how many rows, and whether the manager approved."""

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import Department, Level, User
from app.models.approvals import RequestStatus
from app.models.base import LevelType, TimestampMixin, choice_column

PHONE_EXPORT_FLOW = "pii.phone_export"


class PhoneExport(TimestampMixin, db.Model):
    """One request for a full-phone export. Up to the approval threshold it is approved when
    made; above it, the requester's department manager decides through the approval engine.
    `confidentiality` is the highest level among the rows: only someone cleared for it may
    approve or see the request."""

    __tablename__ = "phone_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    list_name: Mapped[str] = mapped_column(String(40))
    query: Mapped[str] = mapped_column(String(500), default="")
    reason: Mapped[str] = mapped_column(String(200))
    row_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[RequestStatus] = mapped_column(choice_column(RequestStatus),
                                                  default=RequestStatus.PENDING)
    confidentiality: Mapped[Level] = mapped_column(LevelType(Level), default=Level.INTERNAL)

    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    department: Mapped[Department] = relationship()
