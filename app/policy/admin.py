"""Accounts and the audit trail: administrators and auditors, never business data."""

from sqlalchemy import Select, false

from app.models import Role
from app.policy.actions import Action


class UserRules:
    """Accounts are the administrators' business only."""

    def area(self, user, action) -> bool:
        return user.role == Role.ADMIN and action in (Action.VIEW, Action.CREATE, Action.MANAGE)

    def record(self, user, action, target) -> bool:
        return user.role == Role.ADMIN and action in (Action.VIEW, Action.EDIT, Action.MANAGE)

    def scope(self, query: Select, user, action) -> Select:
        return query if user.role == Role.ADMIN else query.where(false())


class AuditRules:
    """The audit trail is read by auditors only, and written by nobody through the UI."""

    def area(self, user, action) -> bool:
        return user.role == Role.AUDITOR and action == Action.VIEW

    def record(self, user, action, event) -> bool:
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if self.area(user, action) else query.where(false())
