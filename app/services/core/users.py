"""The administrators' user management: accounts, their rights as set at once, deactivation,
temporary passwords and unlocking. What needs another person's approval (services/approvals/
grants.py) calls these once it is approved."""

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models import Level, Role, User
from app.services.core import audit, rights
from app.services.core.accounts import hash_password
from app.services.core.rights import Rights


@dataclass
class UserData:
    username: str
    full_name: str
    employee_no: str
    department_id: int
    role: Role
    clearance: Level
    locale: str = "zh_CN"

    @property
    def rights(self) -> Rights:
        return Rights(self.role, self.department_id, Level(self.clearance))


_PROFILE_FIELDS = ("username", "full_name", "employee_no", "locale")
USERNAME = r"^[A-Za-z][A-Za-z0-9_.-]{1,49}$"
EMPLOYEE_NO = r"^[A-Za-z0-9-]{1,20}$"


def _profile(user: User) -> dict:
    return {field: getattr(user, field) for field in _PROFILE_FIELDS}


def any_account() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is not None


def data_problems(data: UserData) -> dict[str, str]:
    """What is wrong with an account's fields (for who enters them without the form: the CLI),
    with the form's messages."""
    problems = {}
    if not re.match(USERNAME, data.username):
        problems["username"] = _("用户名以字母开头，只能包含字母、数字、点、下划线和连字符"
                                 "（2–50 位）。")
    if not data.full_name.strip() or len(data.full_name) > 50:
        problems["full_name"] = _("请填写姓名（最多 50 个字）。")
    if not re.match(EMPLOYEE_NO, data.employee_no):
        problems["employee_no"] = _("工号只能包含字母、数字和连字符。")
    return {**problems, **taken_fields(data)}


def taken_fields(data: UserData, exclude_id: int | None = None) -> dict[str, str]:
    """Unique fields already used by another account, with the message to show."""
    errors = {}
    checks = (("username", User.username, data.username.lower(), _("该用户名已被使用。")),
              ("employee_no", User.employee_no, data.employee_no, _("该工号已被使用。")))
    for name, column, value, message in checks:
        query = select(func.count()).select_from(User).where(column == value)
        if exclude_id:
            query = query.where(User.id != exclude_id)
        if db.session.scalar(query):
            errors[name] = message
    return errors


def create_user(data: UserData, temporary_password: str, actor: User | None,
                start: Rights) -> User:
    """A new account with the rights `start` (the caller keeps back what needs approval), that
    must change its temporary password at first sign-in."""
    user = User(username=data.username.lower(), full_name=data.full_name,
                employee_no=data.employee_no, department_id=start.department_id,
                role=start.role, clearance=start.clearance, locale=data.locale,
                password_hash=hash_password(temporary_password), must_change_password=True,
                session_nonce=0, active=True)
    db.session.add(user)
    db.session.flush()
    created = {**_profile(user), "role": user.role, "department_id": user.department_id,
               "clearance": user.clearance}
    audit.record("user_created", user, changes={k: [None, v] for k, v in created.items()},
                 actor=actor)
    return user


def update_profile(user: User, data: UserData, actor: User) -> None:
    """Names, employee number and language: not rights, so they change at once."""
    before = _profile(user)
    user.username, user.full_name = data.username.lower(), data.full_name
    user.employee_no, user.locale = data.employee_no, data.locale
    changes = audit.field_changes(before, _profile(user))
    if changes:
        audit.record("user_updated", user, changes=changes, actor=actor)


def change_rights_now(user: User, now: Rights, actor: User) -> None:
    """Rights that need no approval (lowered, or a 专员's department): set and audited at once."""
    before = rights.rights_of(user)
    changes = rights.set_rights(user, now)
    if changes:
        lowered = "role" in changes or now.clearance < before.clearance
        audit.record("rights_revoked" if lowered else "rights_changed", user, changes=changes,
                     actor=actor)


def set_active(user: User, active: bool, actor: User) -> str | None:
    """Deactivates (ending every session) or reactivates; refuses to deactivate oneself."""
    if user.id == actor.id and not active:
        return _("不能停用自己的账户。")
    if user.active != active:
        user.active = active
        user.session_nonce += 1
        audit.record("user_activated" if active else "user_deactivated", user, actor=actor)
    return None


def give_temporary_password(user: User, password_hash: str, actor: User,
                            changes: dict | None = None) -> None:
    """Sets a temporary (already hashed) password the user must change at next sign-in, lifts
    a sign-in lock and ends the user's sessions."""
    user.password_hash = password_hash
    user.must_change_password = True
    user.session_nonce += 1
    user.failed_logins = 0
    user.locked_until = None
    audit.record("password_reset", user, actor=actor, changes=changes)


def unlock(user: User, actor: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
    audit.record("user_unlocked", user, actor=actor)
