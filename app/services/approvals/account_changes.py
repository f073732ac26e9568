"""What an administrator does to accounts, under the two-person rule: what lowers rights or
changes no rights happens at once; what raises them (services/core/rights.py says which) is
filed as a grant that another person approves, and until then the account keeps its rights.
The web pages and `flask users` both come through here."""

from dataclasses import dataclass

from flask_babel import gettext as _

from app.models import AccountGrant, User
from app.services.approvals import grants
from app.services.approvals.grants import GrantRefused
from app.services.core import accounts, audit, rights, users
from app.services.core.users import UserData


@dataclass
class Outcome:
    """The account, and the grant filed for what it was asked beyond the safe rights."""

    user: User
    grant: AccountGrant | None = None


def create_account(data: UserData, temporary_password: str, actor: User) -> Outcome:
    """A new account with the safe rights (专员, 内部 at most), and a grant for the rest."""
    asked = data.rights
    start = rights.start_for(asked)
    user = users.create_user(data, temporary_password, actor, start)
    wanted = rights.split(start, asked).asked
    return Outcome(user, grants.file_grant(user, wanted, actor) if wanted else None)


def edit_account(user: User, data: UserData, actor: User) -> Outcome:
    """Names and language change at once, so does lowered rights (ending the user's sessions;
    a grant still pending is withdrawn); raised rights become a grant. Refuses changes to
    one's own rights."""
    before, after = rights.rights_of(user), data.rights
    if after != before and user.id == actor.id:
        raise GrantRefused(_("不能修改自己的角色、部门或涉密级别，请由另一位系统管理员办理。"))
    users.update_profile(user, data, actor)
    pending = grants.pending_grant(user)
    if after == before or (pending and grants.asked_rights(pending) == after):
        return Outcome(user, pending)
    grants.withdraw_pending(user)
    split = rights.split(before, after)
    users.change_rights_now(user, split.now, actor)
    return Outcome(user, grants.file_grant(user, split.asked, actor) if split.asked else None)


def set_active(user: User, active: bool, actor: User) -> Outcome:
    """Deactivation is at once (a pending grant is withdrawn); reactivating an account that
    holds more than the safe rights gives its power back, so it is a grant."""
    current = rights.rights_of(user)
    if active and not user.active and rights.holds_power(current):
        return Outcome(user, grants.file_grant(user, current, actor, reactivate=True))
    error = users.set_active(user, active, actor)
    if error:
        raise GrantRefused(error)
    if not active:
        grants.withdraw_pending(user)
    return Outcome(user)


def reset_password(user: User, temporary_password: str, actor: User) -> Outcome:
    """A temporary password: at once for an account with the safe rights; a grant for one that
    holds more, since whoever knows the password holds its rights. Refuses one's own account
    (one's own password is changed with the current one, on the password page)."""
    problems = accounts.password_problems(temporary_password, user.username)
    if problems:
        raise GrantRefused(" ".join(problems))
    if user.id == actor.id:
        raise GrantRefused(_("不能在用户管理中重置自己的密码，请在“修改密码”页面修改。"))
    password_hash = accounts.hash_password(temporary_password)
    current = rights.rights_of(user)
    if rights.holds_power(current):
        return Outcome(user, grants.file_grant(user, current, actor, password_hash=password_hash))
    users.give_temporary_password(user, password_hash, actor)
    return Outcome(user)


def bootstrap(admin: UserData, gm: UserData, passwords: tuple[str, str]) -> tuple[User, User]:
    """The first administrator and the first general manager (机密) of a database that has no
    account yet: two people who can approve each other's grants from then on. Refused once
    any account exists, so it is never a way around the two-person rule."""
    if users.any_account():
        raise GrantRefused(_("系统中已有账户：新账户请由系统管理员创建，授权须经审批。"))
    if admin.username.lower() == gm.username.lower() or admin.employee_no == gm.employee_no:
        raise GrantRefused(_("系统管理员和总经理须是两个不同的人（用户名和工号不能相同）。"))
    first = [users.create_user(data, password, None, data.rights)
             for data, password in zip((admin, gm), passwords, strict=True)]
    for user in first:
        audit.record("user_bootstrapped", user, changes={
            "role": [None, user.role], "clearance": [None, user.clearance]})
    return first[0], first[1]
