"""Sessions: who is signed in (each browser a session kept on the server), idle timeout,
forced password change, UI language."""

from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_request_context,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app import htmx
from app.extensions import client_address, db, login_manager
from app.htmx import is_htmx
from app.models import User
from app.services.core import sessions

# Endpoints a user who must change their password may still reach.
_PASSWORD_CHANGE_ALLOWED = {"auth.password_change", "auth.logout", "auth.logout_confirm",
                            "static", "core.healthz"}
# The cookie's key for the token naming the server-side session (services/core/sessions.py).
SESSION_KEY = "sid"
# Requests that poll in the background do not count as activity for the idle timeout.
BACKGROUND_HEADER = "X-Background-Poll"


def configure(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    app.before_request(_enforce_session_rules)


def _load_user(token: str) -> User | None:
    """The signed-in user, while the cookie's server-side session is open: not ended (logout,
    log out everywhere), begun under the user's current session nonce (no password change,
    change of rights or deactivation since) and the user active. One statement loads both."""
    try:
        user_id, nonce = (int(part) for part in token.split("."))
    except ValueError:
        return None
    found = sessions.signed_in(user_id, nonce, session.get(SESSION_KEY))
    if found is None:
        g.session_ended = True
        return None
    user, g.user_session = found
    return user


def begin_session(user: User) -> None:
    """Signs `user` in on a fresh cookie (no fixation of an earlier one) naming a new
    server-side session."""
    session.clear()
    login_user(user)
    session[SESSION_KEY] = sessions.start(user, client_address(), request.user_agent.string)
    session.permanent = True


def end_session(message: str):
    """Signs the current browser out (its server-side session already ended by the caller) and
    sends it to the sign-in page with `message`."""
    logout_user()
    session.clear()
    flash(message, "success")
    return htmx.redirect(url_for("auth.login"))  # a whole new page: no stale CSRF token


def safe_next(target: str | None) -> str | None:
    """Only local paths are followed after login (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _unauthorized():
    """Sign-in required: says why (never signed in, or the session was ended), then goes to the
    sign-in page."""
    if not is_htmx():
        if g.get("session_ended"):
            flash(_("您的登录已结束（已退出、在其他地方结束、修改了密码或账户有变动），"
                    "请重新登录。"), "warning")
        else:
            flash(_("请先登录。"), "warning")
    return _to_login()


def _to_login():
    """Full pages go to the login form; htmx requests get HX-Redirect, never a form in a cell."""
    if is_htmx():
        current = urlsplit(request.headers.get("HX-Current-URL", "/"))
        next_path = current.path + (f"?{current.query}" if current.query else "")
        response = make_response("", 401)
        response.headers["HX-Redirect"] = url_for("auth.login", next=safe_next(next_path))
        return response
    return redirect(url_for("auth.login", next=safe_next(request.full_path.rstrip("?"))))


def _enforce_session_rules():
    if not current_user.is_authenticated:
        return None
    row = g.user_session
    if sessions.is_idle(row):
        sessions.end(row, "idle")
        db.session.commit()
        logout_user()
        session.clear()
        minutes = int(current_app.config["IDLE_TIMEOUT"].total_seconds() // 60)
        flash(_("您已超过 %(minutes)d 分钟未操作，为保护数据已自动退出，请重新登录。",
                minutes=minutes), "warning")
        return _to_login()
    if request.headers.get(BACKGROUND_HEADER) != "1" and sessions.touch(row):
        # The cookie is sent again (a new expiry) only when the server notes activity, not on
        # every response (config's SESSION_REFRESH_EACH_REQUEST).
        session.modified = True
    if current_user.must_change_password and request.endpoint not in _PASSWORD_CHANGE_ALLOWED:
        if is_htmx():
            response = make_response("", 200)
            response.headers["HX-Redirect"] = url_for("auth.password_change")
            return response
        return redirect(url_for("auth.password_change"))
    return None


def select_locale() -> str:
    """The user's language; outside a request (commands, jobs) the default."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated:
        return current_user.locale
    return session.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]
