"""Password checks that lock after failures in a row: one lock for signing in, another for
signing records, so a mistyped signing password never locks the sign-in (and the reverse)."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from werkzeug.security import check_password_hash

from app.models import User
from app.models.base import utcnow
from app.services.core import audit


@dataclass(frozen=True)
class Lock:
    """Where one kind of check counts its failures and keeps its lock."""

    failures: str  # User column counting failures in a row
    until: str  # User column holding the end of the lock
    max_key: str  # config: failures that lock
    minutes_key: str  # config: how long the lock holds
    event: str  # audit action when it locks


SIGN_IN = Lock("failed_logins", "locked_until", "LOGIN_MAX_FAILURES", "LOGIN_LOCK_MINUTES",
               "account_locked")
SIGNING = Lock("failed_signs", "sign_locked_until", "SIGN_MAX_FAILURES", "SIGN_LOCK_MINUTES",
               "signing_locked")


@dataclass(frozen=True)
class Check:
    right: bool  # the password is the user's
    locked: bool  # the lock holds: refused even with the right password
    left: int  # failures left before the lock


def check(user: User, password: str, lock: Lock, purpose: str) -> Check:
    """Compares `password` with the user's (always exactly one hash), counts and audits a
    failure toward `lock`; while the lock holds nothing more is counted. The lock ends by
    itself when its time is up."""
    right = check_password_hash(user.password_hash, password)
    config, now = current_app.config, utcnow()
    until = getattr(user, lock.until)
    if until and until > now:
        audit.record(f"{purpose}_refused_locked", user)
        return Check(right, True, 0)
    if right:
        setattr(user, lock.failures, 0)
        setattr(user, lock.until, None)
        return Check(True, False, config[lock.max_key])
    failures = getattr(user, lock.failures) + 1
    audit.record(f"{purpose}_failed", user, changes={"reason": "password", "failures": failures})
    if failures >= config[lock.max_key]:
        setattr(user, lock.failures, 0)
        setattr(user, lock.until, now + timedelta(minutes=config[lock.minutes_key]))
        audit.record(lock.event, user)
        return Check(False, True, 0)
    setattr(user, lock.failures, failures)
    return Check(False, False, config[lock.max_key] - failures)
