"""An account's rights (role, department, clearance) under the two-person rule: what lowers
them takes effect at once, what raises them waits for another person's approval.

The safe rights are 专员 with a clearance of 内部 at most: a new account starts with them.
Anything more — any other role (general manager, auditor, manager, archivist, administrator),
a manager's department, a higher clearance — is a grant. Administrators count too: a second
administrator is who approves when there is no general manager, so an administrator who could
make one alone could approve their own grants through it.
"""

from dataclasses import dataclass

from app.models import Level, Role, User

SAFE_ROLE = Role.STAFF
SAFE_CLEARANCE = Level.INTERNAL


@dataclass(frozen=True)
class Rights:
    role: Role
    department_id: int
    clearance: Level


@dataclass(frozen=True)
class Split:
    """`now`: the rights to set at once; `asked`: those to request (None: nothing to ask)."""

    now: Rights
    asked: Rights | None


def rights_of(user: User) -> Rights:
    return Rights(user.role, user.department_id, user.clearance)


def holds_power(rights: Rights) -> bool:
    """More than the safe rights: reactivating such an account or resetting its password
    hands its power to whoever does it, so both are grants too."""
    return rights.role != SAFE_ROLE or rights.clearance > SAFE_CLEARANCE


def start_for(asked: Rights) -> Rights:
    """The rights a new account is created with, whatever was asked for it."""
    return Rights(SAFE_ROLE, asked.department_id, min(asked.clearance, SAFE_CLEARANCE))


def split(before: Rights, after: Rights) -> Split:
    """Which of the changes from `before` to `after` are grants (kept back for approval) and
    which take effect now (lowering a clearance, going back to 专员, a 专员's department)."""
    role_up = after.role != before.role and after.role != SAFE_ROLE
    department_up = after.department_id != before.department_id and after.role != SAFE_ROLE
    clearance_up = after.clearance > before.clearance
    now = Rights(before.role if role_up else after.role,
                 before.department_id if department_up else after.department_id,
                 before.clearance if clearance_up else after.clearance)
    return Split(now, after if (role_up or department_up or clearance_up) else None)


def changes(before: Rights, after: Rights) -> dict:
    """{field: [old, new]} of the rights that differ, as the audit trail records them."""
    fields = (("role", before.role, after.role),
              ("department_id", before.department_id, after.department_id),
              ("clearance", before.clearance, after.clearance))
    return {name: [old, new] for name, old, new in fields if old != new}


def set_rights(user: User, rights: Rights) -> dict:
    """Gives the account these rights, ending its sessions if they change (the new rights
    hold from the next sign-in); returns the changes."""
    changed = changes(rights_of(user), rights)
    if changed:
        user.role, user.department_id, user.clearance = (
            rights.role, rights.department_id, rights.clearance)
        user.session_nonce += 1
    return changed
