"""The home page with the user's counts, the health check, and placeholders for coming areas."""

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select, text

from app import policy
from app.blueprints.core import bp
from app.extensions import db
from app.htmx import render
from app.models import ApprovalRequest, Customer, CustomerType, VisitPlan
from app.policy import Action
from app.services.approvals import badges
from app.services.customers.drafts import my_drafts
from app.services.customers.operations import count_by_type
from app.services.sales.visits.lists import overdue_count
from app.timeutil import local_today

AREA_TITLES = {
    "service": _l("客服台账"),
    "risk": _l("风险管理"),
    "archive": _l("档案室"),
}


@bp.get("/")
@login_required
def home():
    """我的工作台: counts of what the user may see (policy-scoped, never counted in Python)."""
    counts = None
    if policy.can(current_user, Action.VIEW, Customer):
        scoped = policy.scope(select(Customer), current_user, Customer)
        counts = count_by_type(scoped)
    overdue_visits = None
    if policy.can(current_user, Action.VIEW, VisitPlan):
        plans = policy.scope(select(VisitPlan), current_user, VisitPlan)
        overdue_visits = overdue_count(plans, local_today())
    return render("core/home.html", counts=counts, type_choices=CustomerType.choices(),
                  overdue_visits=overdue_visits, todo=_todo(), drafts=_drafts())


def _drafts():
    """我的草稿 for who registers records (None: the user starts none)."""
    if not policy.can(current_user, Action.CREATE, Customer):
        return None
    return my_drafts(current_user)


def _todo() -> badges.Todo | None:
    """What waits for the user's signature and their unread notices (None: no approvals)."""
    if not policy.can(current_user, Action.VIEW, ApprovalRequest):
        return None
    return badges.todo(current_user)


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
