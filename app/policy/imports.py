"""Excel imports, a platform rule: each department imports its own ledgers and nobody else's.

Every importable ledger belongs to the department whose ledger it fills (the import registry,
services.imports.registry, tells this module when a department registers one). Staff and
managers of that department import it; a batch is seen by its uploader and by the manager of
the uploader's department, while the ledger is still their department's; the GM reads every
batch and imports nothing. A department's import pages are the area `desk(code)`."""

from sqlalchemy import Select, false

from app.models import DeptCode, ImportBatch, Role, User
from app.policy.actions import Action

IMPORT_ROLES = (Role.STAFF, Role.MANAGER)
READ = (Action.VIEW, Action.EXPORT)

_DEPARTMENTS: dict[str, DeptCode] = {}  # ledger -> the department whose ledger it is


def assign(ledger: str, department: DeptCode) -> None:
    """Records whose ledger `ledger` is (called by the import registry only)."""
    _DEPARTMENTS[ledger] = department


def department_of(ledger: str) -> DeptCode | None:
    """The department whose ledger `ledger` is; None for a ledger nobody registered."""
    return _DEPARTMENTS.get(ledger)


def ledgers_of(department: DeptCode) -> list[str]:
    """The ledgers `department` imports, in registration order."""
    return [ledger for ledger, code in _DEPARTMENTS.items() if code == department]


def desk(department: DeptCode) -> str:
    """The area name of a department's import pages (policy.can(user, action, desk(code)))."""
    return f"imports.{department.value}"


def imports_for(user, department: DeptCode) -> bool:
    """Staff and managers of `department`, when it has a ledger to import."""
    return (user.role in IMPORT_ROLES and user.in_department(department)
            and department in _DEPARTMENTS.values())


def _desk_rule(department: DeptCode):
    def rule(user, action) -> bool:
        if action == Action.CREATE:
            return imports_for(user, department)
        return action in READ and (imports_for(user, department) or (
            user.role == Role.GM and department in _DEPARTMENTS.values()))
    return rule


def areas() -> dict:
    """Each department's import pages as a policy area (policy.AREAS)."""
    return {desk(code): _desk_rule(code) for code in DeptCode}


def _own_ledgers(user) -> list[str]:
    """The ledgers of the user's department, if they are among the people who import them."""
    if user.role not in IMPORT_ROLES:
        return []
    return [ledger for ledger, code in _DEPARTMENTS.items() if user.in_department(code)]


class ImportRules:
    """Import batches: the department's staff and managers create them and see them (their own;
    a manager their department's), the GM reads all; a batch is started by its uploader only
    (services.imports.batches.start), which no rule here grants to anyone else."""

    def area(self, user, action) -> bool:
        return any(_desk_rule(code)(user, action) for code in DeptCode)

    def record(self, user, action, batch: ImportBatch) -> bool:
        if action != Action.VIEW:
            return False
        if user.role == Role.GM:
            return True
        if batch.ledger not in _own_ledgers(user):
            return False
        if user.role == Role.MANAGER:
            return batch.created_by.department_id == user.department_id
        return batch.created_by_id == user.id

    def scope(self, query: Select, user, action) -> Select:
        if user.role == Role.GM:
            return query
        ledgers = _own_ledgers(user)
        if not ledgers:
            return query.where(false())
        query = query.where(ImportBatch.ledger.in_(ledgers))
        if user.role == Role.MANAGER:
            return query.join(User, ImportBatch.created_by_id == User.id).where(
                User.department_id == user.department_id)
        return query.where(ImportBatch.created_by_id == user.id)
