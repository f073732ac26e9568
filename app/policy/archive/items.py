"""Filed items (档案, the catalogue) and the archivist's batch print jobs.

- The archivist keeps the archive: reads the catalogue's metadata of every department (within
  their clearance, as everyone), prints frozen copies for archive work (PRINT, batch printing)
  and voids 档号 filed in error (MANAGE). The archivist approves nothing and reads no content
  on screen: content opens through a loan, or for the GM (req 11).
- Department staff and managers read the metadata of their own department's items (the filing
  department's: what they handed over).
- The GM reads every item's metadata and its content (READ_CONTENT; the copy route audits it).
- A borrower reads (READ_CONTENT) or copies (PRINT) an item while they hold an approved,
  unexpired loan whose method allows it: the loans ledger decides (policy.archive.loans).
- Every business user (staff, managers) may request a loan of any item they are cleared for
  (BORROW), so its basic card (VIEW_CARD: it exists for them) is theirs too; the loan's
  approver follows the seed's rule (own department → its manager, another → the GM).
- Administrators and auditors: nothing. An item above the user's clearance does not exist
  for them (policy.can checks it before these rules); a destroyed item's content is gone.
"""

from sqlalchemy import Select, false

from app.models import Role
from app.models.archive import ArchiveItem, ArchivePrintJob, ArchiveState
from app.policy.actions import Action
from app.policy.archive.loans import loan_allows

METADATA = (Action.VIEW, Action.EXPORT)
DEPARTMENT_ROLES = (Role.STAFF, Role.MANAGER)


def keeps_archive(user) -> bool:
    return user.role == Role.ARCHIVIST


def reads_all_metadata(user) -> bool:
    """The archivist and the GM see every department's items."""
    return user.role in (Role.ARCHIVIST, Role.GM)


def in_department_role(user) -> bool:
    """Staff and managers of a department: their department's items, loans of any."""
    return user.role in DEPARTMENT_ROLES


def _has_content(item: ArchiveItem) -> bool:
    return item.state != ArchiveState.DESTROYED


class ArchiveItemRules:
    def area(self, user, action) -> bool:
        if action in METADATA:
            return reads_all_metadata(user) or in_department_role(user)
        if action in (Action.PRINT, Action.MANAGE):
            return keeps_archive(user)
        return action == Action.BORROW and in_department_role(user)

    def record(self, user, action, item: ArchiveItem) -> bool:
        if action in METADATA:
            return reads_all_metadata(user) or (
                in_department_role(user) and item.department_id == user.department_id)
        if action == Action.VIEW_CARD:
            return reads_all_metadata(user) or in_department_role(user)
        if action == Action.BORROW:
            return in_department_role(user) and _has_content(item)
        if action == Action.MANAGE:
            return keeps_archive(user)
        if action == Action.READ_CONTENT:
            return _has_content(item) and (
                user.role == Role.GM or loan_allows(user, item, action))
        if action == Action.PRINT:
            return _has_content(item) and (
                keeps_archive(user) or loan_allows(user, item, action))
        return False

    def scope(self, query: Select, user, action) -> Select:
        if reads_all_metadata(user):
            return query
        if in_department_role(user):
            return query.where(ArchiveItem.department_id == user.department_id)
        return query.where(false())


class PrintJobRules:
    """A batch print job is its archivist's alone: its progress and its file."""

    def area(self, user, action) -> bool:
        return action in (Action.VIEW, Action.CREATE) and keeps_archive(user)

    def record(self, user, action, job: ArchivePrintJob) -> bool:
        return (action == Action.VIEW and keeps_archive(user)
                and job.requested_by_id == user.id)

    def scope(self, query: Select, user, action) -> Select:
        if not keeps_archive(user):
            return query.where(false())
        return query.where(ArchivePrintJob.requested_by_id == user.id)


RULES = {ArchiveItem: ArchiveItemRules(), ArchivePrintJob: PrintJobRules()}
