"""The customer service workspace's home: its ledgers, as policy lets the user see them."""

from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints.service import bp
from app.htmx import render
from app.navigation import SERVICE_SECTIONS, sections_for
from app.policy import Action


@bp.get("/")
@login_required
def home():
    """客服台账: links to the ledgers the user may open; 客服部 staff, managers and the GM."""
    policy.require(Action.VIEW, "service")
    return render("core/department_home.html", title=_("客服台账"), list_id="service-sections",
                  empty=_("暂无可用的客服台账。"),
                  sections=sections_for(current_user, SERVICE_SECTIONS))
