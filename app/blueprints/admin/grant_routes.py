"""Account grants: the administrators' list, and one grant's page for them and the general
manager who approves it (the signing is on its approval request, like every signature)."""

from flask import request
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.blueprints.admin import bp
from app.htmx import render
from app.models import AccountGrant
from app.policy import Action
from app.services.approvals import grants
from app.services.core.pagination import Sort, keyset_page


@bp.get("/grants/")
@login_required
def grant_list():
    """Every grant asked, newest first, pending or decided; administrators only."""
    policy.require(Action.VIEW, AccountGrant)
    query = policy.scope(select(AccountGrant).options(*grants.SHOWN), current_user,
                         AccountGrant)
    page = keyset_page(query, AccountGrant, Sort(AccountGrant.id, True),
                       after=request.args.get("after"), before=request.args.get("before"))
    return render("admin/grant/list.html", "results", page=page,
                  summaries={grant.id: grants.summary(grant) for grant in page.rows})


@bp.get("/grants/<int:grant_id>")
@login_required
def grant_detail(grant_id: int):
    """One grant: the account, who asked, what changes and its approval; administrators and
    the general manager."""
    grant = grants.with_people(policy.load(AccountGrant, grant_id, Action.VIEW).id)
    approval = grants.request_of(grant)
    return render("admin/grant/detail.html", grant=grant, lines=grants.lines(grant),
                  approval=approval, can_list=policy.can(current_user, Action.VIEW, AccountGrant),
                  approval_visible=approval is not None and policy.can(
                      current_user, Action.VIEW, approval))
