"""User administration (administrators only; no business data here)."""

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.blueprints.admin import calendar_routes, flow_routes, grant_routes, routes  # noqa: E402,F401


def plug_in(app: Flask) -> None:
    """Account grants in the approval engine, then the pages."""
    from app.services.approvals import grants

    grants.plug_in()
    app.register_blueprint(bp)
