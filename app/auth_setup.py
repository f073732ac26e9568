"""Sessions: who is signed in, idle timeout, forced password change, UI language."""

import time
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    has_request_context,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.extensions import db, login_manager
from app.htmx import is_htmx
from app.models import User

# Endpoints a user who must change their password may still reach.
_PASSWORD_CHANGE_ALLOWED = {"auth.password_change", "auth.logout", "static", "core.healthz"}
# Requests that poll in the background do not count as activity for the idle timeout.
BACKGROUND_HEADER = "X-Background-Poll"


def configure(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    app.before_request(_enforce_session_rules)


def _load_user(token: str) -> User | None:
    """The signed-in user, unless deactivated or their sessions were ended since sign-in."""
    try:
        user_id, nonce = (int(part) for part in token.split("."))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_nonce != nonce:
        return None
    return user


def safe_next(target: str | None) -> str | None:
    """Only local paths are followed after login (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _unauthorized():
    """Full pages go to the login form; htmx requests get HX-Redirect, never a form in a cell."""
    if is_htmx():
        current = urlsplit(request.headers.get("HX-Current-URL", "/"))
        next_path = current.path + (f"?{current.query}" if current.query else "")
        response = make_response("", 401)
        response.headers["HX-Redirect"] = url_for("auth.login", next=safe_next(next_path))
        return response
    flash(_("请先登录。"), "warning")
    return redirect(url_for("auth.login", next=safe_next(request.full_path.rstrip("?"))))


def _enforce_session_rules():
    if not current_user.is_authenticated:
        return None
    now = time.time()
    idle = current_app.config["IDLE_TIMEOUT"].total_seconds()
    last_seen = session.get("seen")
    if last_seen and now - last_seen > idle:
        logout_user()
        session.clear()
        flash(_("您已超过 %(minutes)d 分钟未操作，为保护数据已自动退出，请重新登录。",
                minutes=int(idle // 60)), "warning")
        return _unauthorized()
    if request.headers.get(BACKGROUND_HEADER) != "1":
        session["seen"] = now
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
