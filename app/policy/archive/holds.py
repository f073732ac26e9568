"""Legal holds (冻结): the archivist and the GM place, read and release them; nobody else sees
them (a department learns of a hold from its item's state 冻结 in the catalogue). A hold on a
record above the user's clearance does not exist for them (policy.can checks its level)."""

from sqlalchemy import Select, false

from app.models import Role
from app.models.archive.holds import ArchiveHold
from app.policy.actions import Action

HOLDERS = frozenset({Role.ARCHIVIST, Role.GM})
ACTIONS = (Action.VIEW, Action.EXPORT, Action.CREATE, Action.EDIT)


class HoldRules:
    """VIEW and EXPORT: the list and a hold's page; CREATE: placing one (the item or customer
    it names is loaded with policy.load: above the user's clearance, 404); EDIT:
    releasing an active one."""

    def area(self, user, action) -> bool:
        return action in ACTIONS and user.role in HOLDERS

    def record(self, user, action, hold: ArchiveHold) -> bool:
        if action == Action.EDIT and not hold.active:
            return False
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if self.area(user, action) else query.where(false())


RULES = {ArchiveHold: HoldRules()}
