"""The four-property check (四性检测): the archivist and the GM start runs, resume interrupted
ones and read their reports; the archivist signs a finished report (DA/T 70: the archive's
keeper attests the check; the GM reads but signs no inventory). The scheme is set by the
archivist and the GM. The auditor may read the runs, reports and schemes (an inventory is
evidence an auditor examines) but neither starts, signs nor changes anything. Nobody else sees
them. A report's failure list shows only the items within the reader's clearance (the
services filter it; a run has no level of its own)."""

from sqlalchemy import Select, false

from app.models import Role
from app.models.archive.checks import ArchiveCheckRun, ArchiveCheckScheme
from app.policy.actions import Action

READERS = frozenset({Role.ARCHIVIST, Role.GM, Role.AUDITOR})
RUNNERS = frozenset({Role.ARCHIVIST, Role.GM})
READ_ACTIONS = (Action.VIEW, Action.EXPORT, Action.PRINT)


class CheckRunRules:
    """VIEW/EXPORT/PRINT: readers; CREATE (start) and EDIT (resume): runners; APPROVE (sign
    the report): the archivist."""

    def area(self, user, action) -> bool:
        if action in READ_ACTIONS:
            return user.role in READERS
        if action in (Action.CREATE, Action.EDIT):
            return user.role in RUNNERS
        return action == Action.APPROVE and user.role == Role.ARCHIVIST

    def record(self, user, action, _run: ArchiveCheckRun) -> bool:
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if user.role in READERS else query.where(false())


class CheckSchemeRules:
    """VIEW: readers; MANAGE (save a new version): the archivist and the GM."""

    def area(self, user, action) -> bool:
        if action == Action.VIEW:
            return user.role in READERS
        return action == Action.MANAGE and user.role in RUNNERS

    def record(self, user, action, _scheme: ArchiveCheckScheme) -> bool:
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if user.role in READERS else query.where(false())


RULES = {ArchiveCheckRun: CheckRunRules(), ArchiveCheckScheme: CheckSchemeRules()}
