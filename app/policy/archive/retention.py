"""The retention schedule (保管期限表): the administrator keeps it (DESIGN: administrators hold
settings, no business data; the schedule names periods, not records); the archivist, who
disposes by it, and the GM read it, its history and its recompute runs, export and print it.
Nobody else sees it. A rule names no record, so it has no level of its own."""

from sqlalchemy import Select, false

from app.models import Role
from app.models.archive import RetentionRule
from app.policy.actions import Action

READERS = frozenset({Role.ADMIN, Role.ARCHIVIST, Role.GM})
READ_ACTIONS = (Action.VIEW, Action.EXPORT, Action.PRINT)


class RetentionRules:
    """VIEW, EXPORT, PRINT: readers; MANAGE (edit or add a rule, restart the recompute): the
    administrator."""

    def area(self, user, action) -> bool:
        if action in READ_ACTIONS:
            return user.role in READERS
        return action == Action.MANAGE and user.role == Role.ADMIN

    def record(self, user, action, _rule: RetentionRule) -> bool:
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if self.area(user, action) else query.where(false())


RULES = {RetentionRule: RetentionRules()}
