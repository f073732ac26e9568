"""Sign-in (throttled per address and per account), sign-out, password change, language."""

import time

from flask import current_app, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth_setup import safe_next
from app.blueprints.auth import bp
from app.blueprints.auth.forms import LocaleForm, LoginForm, PasswordChangeForm
from app.extensions import db, limiter
from app.htmx import redirect, render
from app.services.core import accounts, audit


def _account_key() -> str:
    return "login-account:" + request.form.get("username", "").strip().lower()


def _login_rate(name: str):
    return lambda: current_app.config[name]


def _too_many() -> str:
    return _("登录尝试过于频繁，请几分钟后再试。")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate("LOGIN_RATE_PER_ADDRESS"), methods=["POST"], error_message=_too_many)
@limiter.limit(_login_rate("LOGIN_RATE_PER_ACCOUNT"), methods=["POST"], key_func=_account_key,
               error_message=_too_many)
def login():
    """Signs a user in; wrong passwords count toward a temporary lock of the account."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        result = accounts.authenticate(form.username.data, form.password.data)
        if result.user:
            session.clear()  # a fresh session: no fixation of an earlier one
            login_user(result.user)
            session.permanent = True
            session["seen"] = time.time()
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("core.home"))
        db.session.commit()  # the failure, its audit event and the lock count are kept
        error = result.error
    status = 422 if request.method == "POST" else 200
    return render("auth/login.html", status=status, form=form, error=error,
                  locale_form=LocaleForm())


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """Signs out (GET too, so an expired tab can always leave) and shows the sign-in page."""
    if current_user.is_authenticated:
        audit.record("logout", current_user)
        db.session.commit()
        logout_user()
    session.clear()
    flash(_("您已安全退出。"), "success")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password_change():
    """Changes the user's own password after checking the current one."""
    form = PasswordChangeForm()
    problems: list[str] = []
    if form.validate_on_submit():
        problems = accounts.change_password(current_user, form.current_password.data,
                                            form.new_password.data)
        db.session.commit()
        if not problems:
            # The session nonce changed, which ended every session; this one signs in again.
            login_user(current_user._get_current_object())
            flash(_("密码已修改。"), "success")
            return redirect(url_for("core.home"))
    status = 422 if request.method == "POST" else 200
    return render("auth/password.html", status=status, form=form, problems=problems)


@bp.post("/preferences/locale")
def locale_change():
    """Sets the interface language for the user (or this browser before sign-in)."""
    form = LocaleForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
        else:
            session["locale"] = form.locale.data
    back = safe_next(request.form.get("next")) or url_for("core.home")
    return redirect(back)
