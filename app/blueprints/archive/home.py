"""The archive's home: its ledgers, as policy lets the user see them."""

from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints.archive import bp
from app.htmx import render
from app.navigation import ARCHIVE_SECTIONS, sections_for
from app.policy import Action


@bp.get("/")
@login_required
def home():
    """档案室: links to the archive's ledgers the user may open; archivists and the GM."""
    policy.require(Action.VIEW, "archive")
    return render("core/department_home.html", title=_("档案室"), list_id="archive-sections",
                  empty=_("暂无可用的档案功能。"),
                  sections=sections_for(current_user, ARCHIVE_SECTIONS))
