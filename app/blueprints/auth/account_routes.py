"""The user's own account page: who they are and their open sessions, each of which they can
end (another browser's, or this one), or all at once (log out everywhere)."""

from flask import abort, flash, g, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth_setup import end_session
from app.blueprints.auth import bp
from app.extensions import db
from app.htmx import redirect, render
from app.services.core import audit, sessions


@bp.get("/account")
@login_required
def account():
    """The account and its open sessions, the current one marked."""
    return render("auth/account.html", open_sessions=sessions.live(current_user),
                  current_id=g.user_session.id, browser_label=sessions.browser_label)


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def session_end(session_id: int):
    """Ends one of the user's own open sessions; 404 for another user's or an ended one."""
    row = sessions.own(current_user, session_id)
    if row is None:
        abort(404)
    sessions.end(row, "ended_by_user")
    audit.record("session_ended", current_user,
                 changes={"session": row.id, "client_address": row.client_address})
    db.session.commit()
    if row.id == g.user_session.id:
        return end_session(_("您已安全退出。"))
    flash(_("已结束该会话：使用它的浏览器需要重新登录。"), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/sessions/end-all")
@login_required
def session_end_all():
    """Logs out everywhere: every session of the user ends, this one too."""
    count = sessions.end_all(current_user, "everywhere")
    db.session.commit()
    return end_session(_("已退出全部 %(n)d 个会话，请重新登录。", n=count))
