"""Sign-in (throttled per address and per account), sign-out, password change, language."""

from flask import current_app, flash, g, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth_setup import begin_session, end_session, safe_next
from app.blueprints.auth import bp
from app.blueprints.auth.forms import LocaleForm, LoginForm, PasswordChangeForm
from app.extensions import db, limiter
from app.htmx import redirect, render
from app.services.core import accounts, audit, sessions


def _account_key() -> str:
    # As long as a username can be: a longer one is the same account to the limit.
    return "login-account:" + request.form.get("username", "").strip().lower()[:50]


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
            begin_session(result.user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("core.home"))
        db.session.commit()  # the failure, its audit event and the lock count are kept
        error = result.error
    status = 422 if request.method == "POST" else 200
    return render("auth/login.html", status=status, form=form, error=error,
                  locale_form=LocaleForm())


@bp.get("/logout")
def logout_confirm():
    """Asks to confirm signing out: a GET (a link or an image on another site) never signs out."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render("auth/logout.html")


@bp.post("/logout")
def logout():
    """Signs out (POST with the CSRF token): the session ends on the server, so a copy of its
    cookie no longer works either."""
    if not current_user.is_authenticated:
        session.clear()
        return redirect(url_for("auth.login"))
    sessions.end(g.user_session, "logout")
    audit.record("logout", current_user)
    db.session.commit()
    return end_session(_("您已安全退出。"))


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
            # The session nonce changed, which ended every session; this one starts anew.
            begin_session(current_user._get_current_object())
            db.session.commit()
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
