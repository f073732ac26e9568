"""我的待办: the approvals inbox, request pages and signing."""

from flask import Blueprint

bp = Blueprint("approvals", __name__, url_prefix="/approvals")

from app.blueprints.approvals import inbox_routes, print_routes, routes  # noqa: E402,F401
