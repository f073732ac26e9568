"""Accounts: sign-in with lockout and passwords (the administrators' user management is in
users.py)."""

import re
import secrets
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Department, User
from app.models.base import utcnow
from app.services.core import audit, password_locks
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


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash made like the users' own: checking an unknown name against it costs the same."""
    return generate_password_hash(secrets.token_hex(16), method=method)


def authenticate(username: str, password: str) -> SignIn:
    """Checks a sign-in. An unknown name and a wrong password get one message after the same
    work (one password hash), and the lock or a deactivation is told only to whoever typed the
    right password: no answer says whether an account exists."""
    user = find_user(username)
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        audit.record("login_failed", changes={"username": username[:50], "reason": "unknown"})
        return SignIn(None, _("用户名或密码错误。"))
    check = password_locks.check(user, password, password_locks.SIGN_IN, "login")
    if not check.right:
        return SignIn(None, _("用户名或密码错误。"))
    if check.locked:
        return SignIn(None, lock_message(user))
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
    """None if `password` is the signed-in user's own; otherwise what to tell them (a failure
    counts toward the sign-in lock). For re-entering one's password, e.g. to change it."""
    check = password_locks.check(user, password, password_locks.SIGN_IN, purpose)
    if check.locked:
        return lock_message(user)
    return None if check.right else _("当前密码不正确。")


def check_signing_password(user: User, password: str) -> str | None:
    """None if `password` is the signer's; otherwise what to tell them. Failures count toward
    the signing lock (not the sign-in's), which ends by itself after SIGN_LOCK_MINUTES."""
    check = password_locks.check(user, password, password_locks.SIGNING, "sign")
    if check.locked:
        until = to_local(user.sign_locked_until).strftime("%H:%M")
        return _("签字密码连续输错次数过多，签字已暂停，请于 %(time)s 后再试。", time=until)
    if not check.right:
        return _("签字密码不正确。再错 %(n)d 次，签字将暂停 %(m)d 分钟。",
                 n=check.left, m=current_app.config["SIGN_LOCK_MINUTES"])
    return None


def change_password(user: User, current: str, new: str) -> list[str]:
    """Sets a new password after checking the current one; ends every session of the user."""
    error = check_password(user, current, purpose="password_change")
    if error:
        return [error]
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


def departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.id)))
