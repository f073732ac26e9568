"""@once: the one-time token of every create and money-moving form (services/core/once.py).
The form carries the token (the `once_field` macro of _macros/forms.html); a post whose token
was spent answers with the first post's result, whatever the view would do now.

A post without a token is handled as before: scripts that post the documented fields (see the
README's stable interface) keep working, while every form the product shows sends one."""

from functools import wraps
from urllib.parse import urlsplit

from flask import Response, flash, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.errors import render_error
from app.extensions import db
from app.htmx import redirect
from app.services.core import once as tokens

FIELD = "once_token"


def form_token() -> str:
    """A fresh token for a form shown to the signed-in user (the template global once_token)."""
    return tokens.issue(current_user.id) if current_user.is_authenticated else ""


def once(view):
    """Guards a POST view with the form's one-time token (below @login_required)."""

    @wraps(view)
    def guarded(*args, **kwargs):
        token = request.form.get(FIELD) if request.method == "POST" else None
        if not token:
            return view(*args, **kwargs)
        try:
            nonce = tokens.nonce_of(token, current_user.id)
        except tokens.BadToken as refusal:
            return render_error(400, refusal.message)
        if tokens.first_result(nonce) is not None:
            return _replay(tokens.await_result(nonce))
        return _first_post(nonce, view, args, kwargs)

    guarded.once_guarded = True
    return guarded


def _first_post(nonce: str, view, args, kwargs) -> Response:
    """Runs the view with the token spent by its commit; the loser of a race for the token
    (its commit fails on the unique nonce) answers with the winner's result."""
    tokens.spend_on_commit(nonce, current_user.id, request.endpoint or "")
    try:
        response = make_response(view(*args, **kwargs))
    except IntegrityError:
        db.session.rollback()
        tokens.stop_spending()
        if (first := tokens.await_result(nonce)) is None:
            raise
        return _replay(first)
    except Exception:  # a refusal (403, 404) raised after a commit of its audit event
        if tokens.stop_spending():
            tokens.give_back(nonce)
        raise
    failed = response.status_code >= 400
    if tokens.stop_spending():
        if failed:
            tokens.give_back(nonce)
        else:
            tokens.record_result(nonce, _shown_at(response), response.status_code)
    elif failed and (first := tokens.await_result(nonce)) is not None:
        return _replay(first)  # its twin saved while this one was refused: the first result
    return response


def _replay(first: tokens.Result | None) -> Response:
    flash(_("该表单已经提交过，没有重复保存。以下是第一次提交的结果。"), "info")
    return redirect(first.location if first and first.location else _current_page())


def _local(url: str | None) -> str | None:
    """The path and query of a URL of this site; None for another site's or none."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _shown_at(response: Response) -> str:
    """Where the result of a saved form is seen: where it redirected, else the page it was
    sent from (a section of the page was replaced)."""
    return (_local(response.headers.get("HX-Redirect"))
            or _local(response.headers.get("Location")) or _current_page())


def _current_page() -> str:
    return (_local(request.headers.get("HX-Current-URL")) or _local(request.referrer)
            or url_for("core.home"))
