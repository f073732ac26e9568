"""Accounts, their grants and the audit trail: administrators and auditors, never business
data."""

from sqlalchemy import Select, false

from app.models import Level, Role
from app.policy.actions import Action

# Who can approve a grant (two-person rule): the general manager, or a second administrator
# (services/approvals/grants.py asks the GM first and a second administrator when no GM can).
GRANT_APPROVER_ROLES = (Role.GM, Role.ADMIN)


class UserRules:
    """Accounts are the administrators' business only."""

    def area(self, user, action) -> bool:
        return user.role == Role.ADMIN and action in (Action.VIEW, Action.CREATE, Action.MANAGE)

    def record(self, user, action, target) -> bool:
        return user.role == Role.ADMIN and action in (Action.VIEW, Action.EDIT, Action.MANAGE)

    def scope(self, query: Select, user, action) -> Select:
        return query if user.role == Role.ADMIN else query.where(false())


class GrantRules:
    """Grants are listed for administrators; each is also read by the general manager, who
    approves them (the signing itself is on its approval request)."""

    def area(self, user, action) -> bool:
        return user.role == Role.ADMIN and action == Action.VIEW

    def record(self, user, action, grant) -> bool:
        return user.role in GRANT_APPROVER_ROLES and action == Action.VIEW

    def scope(self, query: Select, user, action) -> Select:
        return query if self.area(user, action) else query.where(false())


def may_approve_grant(user, grant) -> bool:
    """Anyone approving a grant, at the moment they sign: an active GM or administrator who is
    neither its requester nor the account it is for, and who holds at least the clearance it
    grants (nobody hands out a clearance they do not hold)."""
    return (user.active and user.role in GRANT_APPROVER_ROLES
            and user.id not in (grant.requested_by_id, grant.user_id)
            and user.clearance >= max(grant.clearance_after, Level.INTERNAL))


class AuditRules:
    """The audit trail is read by auditors only, and written by nobody through the UI."""

    def area(self, user, action) -> bool:
        return user.role == Role.AUDITOR and action == Action.VIEW

    def record(self, user, action, event) -> bool:
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if self.area(user, action) else query.where(false())


class CalendarRules:
    """The working-time calendar (intervals and dated exceptions) is a setting: administrators
    read and manage it."""

    def area(self, user, action) -> bool:
        return user.role == Role.ADMIN and action in (Action.VIEW, Action.MANAGE, Action.EXPORT)

    def record(self, user, action, exception) -> bool:
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if self.area(user, action) else query.where(false())
