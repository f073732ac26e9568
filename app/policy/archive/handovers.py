"""归档移交单 (handover lists) and the filing runs that file them.

A department's staff and manager hand over their department's signed records (the picker
offers only what their data scope shows them) and read their department's lists; the archivist
reads every list, accepts or rejects its lines and runs the monthly filing, but approves nothing;
the GM reads every list. Administrators and auditors see nothing. A line carries its record's
level, so one above the reader's clearance does not exist for them (policy.scope adds it)."""

from sqlalchemy import Select, false, select, true

from app.extensions import db
from app.models import Role
from app.models.archive import ArchiveFilingRun, ArchiveHandover, ArchiveHandoverLine
from app.policy.actions import Action

HANDING_ROLES = (Role.STAFF, Role.MANAGER)
READ_ACTIONS = (Action.VIEW, Action.EXPORT, Action.PRINT)


def hands_over(user) -> bool:
    """Department staff and managers: they hand their department's records to the archive."""
    return user.role in HANDING_ROLES


def reads_all(user) -> bool:
    """The archivist and the GM read every department's lists."""
    return user.role in (Role.ARCHIVIST, Role.GM)


def _sees_department(user, department_id: int) -> bool:
    return reads_all(user) or (hands_over(user) and department_id == user.department_id)


def _handover_clause(user):
    """Which lists `user` reads, as SQL over ArchiveHandover."""
    if reads_all(user):
        return true()
    if hands_over(user):
        return ArchiveHandover.department_id == user.department_id
    return false()


class HandoverRules:
    """VIEW/EXPORT/PRINT: the department's people, the archivist, the GM; CREATE: department
    staff and managers; MANAGE (accept, reject, the monthly filing): the archivist."""

    def area(self, user, action) -> bool:
        if action in READ_ACTIONS:
            return reads_all(user) or hands_over(user)
        if action == Action.CREATE:
            return hands_over(user)
        return action == Action.MANAGE and user.role == Role.ARCHIVIST

    def record(self, user, action, handover: ArchiveHandover) -> bool:
        if action in READ_ACTIONS:
            return _sees_department(user, handover.department_id)
        return action == Action.MANAGE and user.role == Role.ARCHIVIST

    def scope(self, query: Select, user, action) -> Select:
        if action == Action.MANAGE:
            return query.where(true() if user.role == Role.ARCHIVIST else false())
        return query.where(_handover_clause(user))


class LineRules:
    """A line follows its list; clearance is the line's own (its record's level)."""

    def area(self, user, action) -> bool:
        return HandoverRules().area(user, action)

    def record(self, user, action, line: ArchiveHandoverLine) -> bool:
        handover = db.session.get(ArchiveHandover, line.handover_id)
        return HandoverRules().record(user, action, handover)

    def scope(self, query: Select, user, action) -> Select:
        if action == Action.MANAGE:
            return query.where(true() if user.role == Role.ARCHIVIST else false())
        return query.where(ArchiveHandoverLine.handover_id.in_(
            select(ArchiveHandover.id).where(_handover_clause(user))))


class FilingRunRules:
    """The monthly filing's runs: read by the archivist and the GM, started by the archivist;
    a list's own run is read by whoever reads the list."""

    def area(self, user, action) -> bool:
        if action in READ_ACTIONS:
            return reads_all(user)
        return action == Action.MANAGE and user.role == Role.ARCHIVIST

    def record(self, user, action, run: ArchiveFilingRun) -> bool:
        if action == Action.MANAGE:
            return user.role == Role.ARCHIVIST
        if action != Action.VIEW:
            return False
        if run.handover_id is not None:
            handover = db.session.get(ArchiveHandover, run.handover_id)
            return _sees_department(user, handover.department_id)
        return reads_all(user)

    def scope(self, query: Select, user, action) -> Select:
        return query.where(true() if reads_all(user) else false())


RULES: dict = {ArchiveHandover: HandoverRules(), ArchiveHandoverLine: LineRules(),
               ArchiveFilingRun: FilingRunRules()}
