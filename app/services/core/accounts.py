"""Accounts: sign-in with lockout, passwords, and the administrators' user management."""

import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Department, Role, User
from app.models.base import utcnow
from app.services.core import audit
from app.timeutil import to_local

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def password_problems(password: str, username: str = "") -> list[str]:
    """Why a new password is refused (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(_("密码至少需要 %(n)d 位。", n=MIN_PASSWORD_LENGTH))
    if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        problems.append(_("密码需同时包含字母和数字。"))
    if username and username.lower() in password.lower():
        problems.append(_("密码不能包含用户名。"))
    return problems


@dataclass
class SignIn:
    user: User | None
    error: str | None = None


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def authenticate(username: str, password: str) -> SignIn:
    """Checks a sign-in; failures are audited and count toward a temporary lock."""
    user = find_user(username)
    if user is None:
        audit.record("login_failed", changes={"username": username[:50], "reason": "unknown"})
        return SignIn(None, _("用户名或密码错误。"))
    error = check_password(user, password, purpose="login")
    if error:
        return SignIn(None, error)
    if not user.active:
        audit.record("login_failed", user, changes={"reason": "inactive"})
        return SignIn(None, _("该账户已停用，请联系系统管理员。"))
    user.last_login_at = utcnow()
    audit.record("login", user, actor=user)
    return SignIn(user)


def lock_message(user: User) -> str:
    until = to_local(user.locked_until).strftime("%H:%M")
    return _("登录失败次数过多，账户已临时锁定，请于 %(time)s 后再试，或联系系统管理员解锁。",
             time=until)


def check_password(user: User, password: str, *, purpose: str) -> str | None:
    """None if `password` is the user's; otherwise the message to show (and the failure counted).

    Used for sign-in and for re-entering the password to sign a record: both count toward
    the same lock.
    """
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        audit.record(f"{purpose}_refused_locked", user)
        return lock_message(user)
    if check_password_hash(user.password_hash, password):
        user.failed_logins = 0
        user.locked_until = None
        return None
    config = current_app.config
    user.failed_logins += 1
    audit.record(f"{purpose}_failed", user, changes={"reason": "password",
                                                      "failures": user.failed_logins})
    if user.failed_logins >= config["LOGIN_MAX_FAILURES"]:
        user.failed_logins = 0
        user.locked_until = now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
        audit.record("account_locked", user)
        return lock_message(user)
    left = config["LOGIN_MAX_FAILURES"] - user.failed_logins
    return _("用户名或密码错误。再错 %(n)d 次账户将被锁定 %(m)d 分钟。",
             n=left, m=config["LOGIN_LOCK_MINUTES"])


def change_password(user: User, current: str, new: str) -> list[str]:
    """Sets a new password after checking the current one; ends the user's other sessions."""
    error = check_password(user, current, purpose="password_change")
    if error:
        return [_("当前密码不正确。") if user.locked_until is None else error]
    problems = password_problems(new, user.username)
    if check_password_hash(user.password_hash, new):
        problems.append(_("新密码不能与当前密码相同。"))
    if problems:
        return problems
    _set_password(user, new, must_change=False)
    audit.record("password_changed", user, actor=user)
    return []


def _set_password(user: User, password: str, *, must_change: bool) -> None:
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    user.session_nonce += 1


@dataclass
class UserData:
    username: str
    full_name: str
    employee_no: str
    department_id: int
    role: Role
    clearance: int
    locale: str = "zh_CN"


_AUDITED_FIELDS = ("username", "full_name", "employee_no", "department_id", "role",
                   "clearance", "locale", "active")


def _snapshot(user: User) -> dict:
    return {field: getattr(user, field) for field in _AUDITED_FIELDS}


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


def create_user(data: UserData, temporary_password: str, actor: User) -> User:
    """A new account that must change its temporary password at first sign-in."""
    user = User(username=data.username.lower(), full_name=data.full_name,
                employee_no=data.employee_no, department_id=data.department_id,
                role=data.role, clearance=data.clearance, locale=data.locale, session_nonce=0)
    _set_password(user, temporary_password, must_change=True)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", user, changes={k: [None, v] for k, v in _snapshot(user).items()},
                 actor=actor)
    return user


def update_user(user: User, data: UserData, actor: User) -> None:
    before = _snapshot(user)
    for field in ("full_name", "employee_no", "department_id", "role", "clearance", "locale"):
        setattr(user, field, getattr(data, field))
    user.username = data.username.lower()
    changes = audit.field_changes(before, _snapshot(user))
    if changes:
        user.session_nonce += 1  # new rights take effect at the next sign-in
        audit.record("user_updated", user, changes=changes, actor=actor)


def set_active(user: User, active: bool, actor: User) -> str | None:
    """Deactivates (ending every session) or reactivates; refuses to deactivate oneself."""
    if user.id == actor.id and not active:
        return _("不能停用自己的账户。")
    if user.active != active:
        user.active = active
        user.session_nonce += 1
        audit.record("user_activated" if active else "user_deactivated", user, actor=actor)
    return None


def reset_password(user: User, temporary_password: str, actor: User) -> list[str]:
    """An administrator's reset: the user must choose a new password at next sign-in."""
    problems = password_problems(temporary_password, user.username)
    if problems:
        return problems
    _set_password(user, temporary_password, must_change=True)
    user.failed_logins = 0
    user.locked_until = None
    audit.record("password_reset", user, actor=actor)
    return []


def unlock(user: User, actor: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
    audit.record("user_unlocked", user, actor=actor)


def departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.id)))
