"""Sign-in sessions kept on the server: the signed cookie only names a row here, so logging
out, a password change, a change of rights or a deactivation ends a session everywhere at once,
and a cookie copied before that no longer works."""

import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import User, UserSession
from app.models.base import utcnow
from app.services.core import audit

# Last-seen times are written at most this often (a write per request would cost more than
# the idle timeout needs).
TOUCH_EVERY = timedelta(seconds=60)
# Ended and expired sessions are kept this long for the account page and then dropped.
KEEP_ENDED = timedelta(days=30)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle_limit():
    return utcnow() - current_app.config["IDLE_TIMEOUT"]


def start(user: User, address: str, agent: str) -> str:
    """Records a new session of `user`; returns the random token its cookie carries."""
    token = secrets.token_urlsafe(32)
    db.session.execute(db.delete(UserSession).where(
        UserSession.user_id == user.id, UserSession.last_seen_at < utcnow() - KEEP_ENDED))
    db.session.add(UserSession(user_id=user.id, token_hash=_digest(token),
                               nonce=user.session_nonce, client_address=address[:64],
                               user_agent=agent[:255]))
    return token


# The cookie's session and its user (with the department, joined eagerly) in one statement,
# built once: every request runs it, and building and hashing it anew would cost as much as
# running it.
_SIGNED_IN = (select(UserSession, User).join(User, User.id == UserSession.user_id)
              .where(UserSession.token_hash == bindparam("digest")))


def signed_in(user_id: int, nonce: int, token: str | None) -> tuple[User, UserSession] | None:
    """The user the cookie names (`user_id`, `nonce`) and the server-side session its `token`
    names, while both hold: the user active and still under `nonce`, the session theirs, not
    ended and begun under that nonce."""
    if not token:
        return None
    found = db.session.execute(_SIGNED_IN, {"digest": _digest(token)}).first()
    if found is None:
        return None
    row, user = found
    if (user.id != user_id or not user.active or user.session_nonce != nonce
            or row.ended_at is not None or row.nonce != nonce):
        return None
    return user, row


def is_idle(row: UserSession) -> bool:
    return row.last_seen_at < _idle_limit()


def touch(row: UserSession) -> bool:
    """Notes activity on the session, in a transaction of its own: committing the request's
    session would expire what it has loaded (the signed-in user), to be loaded again by the
    template that shows it. True when it was noted (at most every TOUCH_EVERY)."""
    now = utcnow()
    if now - row.last_seen_at < TOUCH_EVERY:
        return False
    with db.engine.begin() as conn:
        conn.execute(update(UserSession).where(UserSession.id == row.id)
                     .values(last_seen_at=now))
    set_committed_value(row, "last_seen_at", now)
    return True


def end(row: UserSession, reason: str) -> None:
    """Ends one session: its cookie no longer signs anybody in."""
    if row.ended_at is None:
        row.ended_at = utcnow()
        row.end_reason = reason


def end_all(user: User, reason: str) -> int:
    """Ends every session of `user` (log out everywhere); returns how many were open."""
    open_ids = [row.id for row in live(user)]
    db.session.execute(update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)).values(
        ended_at=utcnow(), end_reason=reason))
    user.session_nonce += 1  # also ends any session a concurrent request is starting
    audit.record("sessions_ended", user, changes={"reason": reason, "count": len(open_ids)})
    return len(open_ids)


def live(user: User) -> list[UserSession]:
    """The user's open sessions, the most recently used first."""
    return list(db.session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None),
        UserSession.nonce == user.session_nonce, UserSession.last_seen_at >= _idle_limit())
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def own(user: User, session_id: int) -> UserSession | None:
    """One of the user's open sessions by id (None for another user's or an ended one)."""
    return next((row for row in live(user) if row.id == session_id), None)


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iOS"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))


def browser_label(agent: str) -> str:
    """'Chrome 131 · Windows' from a User-Agent header; the header itself when unknown."""
    browser = next(((name, token) for token, name in _BROWSERS if token in agent), None)
    system = next((name for token, name in _SYSTEMS if token in agent), "")
    if browser is None:
        return agent[:60] or "—"
    name, token = browser
    version = re.search(re.escape(token) + r"(\d+)", agent)
    label = f"{name} {version.group(1)}" if version and name != "Safari" else name
    return f"{label} · {system}" if system else label
