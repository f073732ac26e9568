"""The sales workspace's home: its ledgers, as policy lets the user see them."""

from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints.sales import bp
from app.htmx import render
from app.navigation import SALES_SECTIONS, sections_for
from app.policy import Action


@bp.get("/")
@login_required
def home():
    """销售台账: links to the ledgers the user may open; sales staff, managers and the GM."""
    policy.require(Action.VIEW, "sales")
    return render("core/department_home.html", title=_("销售台账"), list_id="sales-sections",
                  empty=_("暂无可用的销售台账。"),
                  sections=sections_for(current_user, SALES_SECTIONS))
