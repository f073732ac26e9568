"""User administration (administrators only; no business data here)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.blueprints.admin import flow_routes, routes  # noqa: E402,F401
