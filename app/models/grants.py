"""Account grants: rights asked for an account that another person must approve (two-person
rule), kept as the request that the approval engine signs."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import Department, Level, Role, User
from app.models.base import Choice, LevelType, TimestampMixin, choice_column

# The approval flow of grants; its approvers are fixed by the two-person rule, not by the flow
# (policy refuses editing it, so no administrator can route their own grants to a puppet).
GRANT_FLOW = "account.grant"


class GrantStatus(Choice):
    PENDING = ("pending", _l("待审批"))
    APPROVED = ("approved", _l("已生效"))
    REJECTED = ("rejected", _l("已驳回"))
    WITHDRAWN = ("withdrawn", _l("已撤回"))


class AccountGrant(TimestampMixin, db.Model):
    """Rights asked for one account: the rights it had when asked and those it gets once
    approved; a reactivation or a password reset of an account that holds power."""

    __tablename__ = "account_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role_before: Mapped[Role] = mapped_column(choice_column(Role))
    role_after: Mapped[Role] = mapped_column(choice_column(Role))
    department_before_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    department_after_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    clearance_before: Mapped[Level] = mapped_column(LevelType(Level))
    clearance_after: Mapped[Level] = mapped_column(LevelType(Level))
    reactivate: Mapped[bool] = mapped_column(Boolean, default=False)
    password_reset: Mapped[bool] = mapped_column(Boolean, default=False)
    # The temporary password of a reset, hashed, until the grant is decided (then cleared).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[GrantStatus] = mapped_column(choice_column(GrantStatus),
                                                default=GrantStatus.PENDING, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    department_before: Mapped[Department] = relationship(foreign_keys=[department_before_id])
    department_after: Mapped[Department] = relationship(foreign_keys=[department_after_id])

    def __str__(self) -> str:
        return f"#{self.id} {self.user.full_name} ({self.user.username})"
