"""Full-phone exports (外呼名单): who may ask for one, see it and take the file."""

from sqlalchemy import Select

from app.models import PhoneExport, RequestStatus, Role
from app.policy.actions import Action

# The roles that may reveal a customer's personal data (CustomerRules: REVEAL_PII).
REVEALERS = frozenset({Role.STAFF, Role.MANAGER, Role.GM})


class PhoneExportRules:
    """Those who may reveal personal data ask, each for the customers in their own scope; the
    request is seen by its requester, their department's manager (who approves a large one)
    and the GM; only the requester takes the file, once it is approved."""

    def area(self, user, action) -> bool:
        return action in (Action.VIEW, Action.CREATE) and user.role in REVEALERS

    def record(self, user, action, export: PhoneExport) -> bool:
        mine = export.requested_by_id == user.id
        if action == Action.VIEW:
            return mine or user.role == Role.GM or (
                user.role == Role.MANAGER and user.department_id == export.department_id)
        if action == Action.EXPORT:
            return mine and user.role in REVEALERS and export.status == RequestStatus.APPROVED
        return False

    def scope(self, query: Select, user, action) -> Select:
        return query.where(PhoneExport.requested_by_id == user.id)


def rules() -> dict:
    return {PhoneExport: PhoneExportRules()}
