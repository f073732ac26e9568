"""The home page with the user's counts, the health check, and placeholders for coming areas."""

from flask import abort
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import text

from app import policy
from app.blueprints.core import bp
from app.blueprints.core.home_figures import home_figures
from app.extensions import db
from app.htmx import render
from app.models import ApprovalRequest, Customer, CustomerType
from app.policy import Action
from app.services.approvals import badges
from app.services.core.home_tiles import counted
from app.services.core.labels import labels_of
from app.services.core.viewer_statements import for_viewer
from app.services.customers.drafts import my_drafts
from app.services.customers.operations import CappedCount
from app.timeutil import local_today

AREA_TITLES = {
    "risk": _l("风险管理"),
}


@bp.get("/")
@login_required
def home():
    """我的工作台: counts of what the user may see (policy-scoped, never counted in Python), every
    figure in one statement, built once per user and day (services.core.viewer_statements)."""
    user = current_user._get_current_object()  # policy reads it a dozen times per decision
    today = local_today()
    figures = for_viewer("core.home", user, lambda: home_figures(user, today),
                         extra=(today, str(get_locale())))
    counts = iter(figures.counts.run())  # in the order home_figures lists them
    customers = None if figures.types is None else {
        kind: CappedCount(*next(counts)) for kind in figures.types}
    overdue_visits = CappedCount(*next(counts)) if figures.plans else None
    types = [(kind.value, label) for kind, label in labels_of(CustomerType).items()]
    return render("core/home.html", me=user, counts=customers, type_choices=types,
                  overdue_visits=overdue_visits, tiles=counted(figures.tiles, counts),
                  todo=_todo(user), drafts=_drafts(user))


def _drafts(user):
    """我的草稿 for who registers records (None: the user starts none)."""
    if not policy.can(user, Action.CREATE, Customer):
        return None
    return my_drafts(user)


def _todo(user) -> badges.Todo | None:
    """What waits for the user's signature and their unread notices (None: no approvals)."""
    if not policy.can(user, Action.VIEW, ApprovalRequest):
        return None
    return badges.todo(user)


@bp.get("/healthz")
def healthz():
    """200 and "ok" when the database answers."""
    db.session.execute(text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/areas/<area>")
@login_required
def area_placeholder(area: str):
    """A department area that is not built yet says so; only its users may open it."""
    if area not in AREA_TITLES:
        abort(404)
    policy.require(Action.VIEW, area)
    return render("core/placeholder.html", title=AREA_TITLES[area])
