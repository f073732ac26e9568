"""Disposal lists (销毁): the archivist drafts them from the due list and executes them but
approves none; the manager of the items' department reviews their department's lists (and may
keep an item, with a reason); the GM approves every list (and may keep an item too). Those
three may abort a list during its waiting period. A list above the user's clearance (it takes
its highest item's level) does not exist for them."""

from sqlalchemy import Select, false

from app.models import Role
from app.models.archive.disposals import EXECUTING, OPEN, DisposalList, DisposalStatus
from app.policy.actions import Action

READ = (Action.VIEW, Action.EXPORT, Action.PRINT)
# Approved (its waiting period may still run: the service says so), or executing.
EXECUTABLE = (DisposalStatus.WAITING, *EXECUTING)


def _reviews(user, disposal: DisposalList) -> bool:
    """The GM, or the manager of the list's department."""
    return user.role == Role.GM or (user.role == Role.MANAGER
                                    and user.department_id == disposal.department_id)


class DisposalRules:
    """VIEW/EXPORT/PRINT: the lists, the register and the certificate; CREATE: drafting a list;
    DISPOSE: executing (or resuming) an approved list; APPROVE: a reviewer's keep decision
    while the list is open; EDIT: aborting during the waiting period."""

    def area(self, user, action) -> bool:
        if action in READ:
            return user.role in (Role.ARCHIVIST, Role.GM, Role.MANAGER)
        return action in (Action.CREATE, Action.DISPOSE) and user.role == Role.ARCHIVIST

    def record(self, user, action, disposal: DisposalList) -> bool:
        if action in READ:
            return user.role == Role.ARCHIVIST or _reviews(user, disposal)
        if action == Action.DISPOSE:
            return user.role == Role.ARCHIVIST and disposal.status in EXECUTABLE
        if action == Action.APPROVE:
            return disposal.status in OPEN and _reviews(user, disposal)
        if action == Action.EDIT:
            return disposal.status == DisposalStatus.WAITING and (
                user.role == Role.ARCHIVIST or _reviews(user, disposal))
        return False

    def scope(self, query: Select, user, action) -> Select:
        if user.role in (Role.ARCHIVIST, Role.GM):
            return query
        if user.role == Role.MANAGER:
            return query.where(DisposalList.department_id == user.department_id)
        return query.where(false())


RULES = {DisposalList: DisposalRules()}
