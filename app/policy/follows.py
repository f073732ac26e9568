"""Records whose rights are those of the record they belong to: any domain may use it."""

from sqlalchemy import Select, false

from app.policy.actions import Action


class FollowsRules:
    """A record whose rights are those of the record it belongs to (a contact: its customer;
    a contract change: its contract)."""

    def __init__(self, parent: str, area_model):
        self.parent, self.area_model = parent, area_model

    def area(self, user, action) -> bool:
        from app.policy import can

        return can(user, action, self.area_model)

    def record(self, user, action, obj) -> bool:
        from app.policy import can

        parent = getattr(obj, self.parent)
        wanted = Action.EDIT if action == Action.CREATE else action
        return can(user, wanted, parent)

    def scope(self, query: Select, user, action) -> Select:
        return query.where(false())  # listed only through their parent's page
