"""The shared customer master (/customers/)."""

from flask import Blueprint

bp = Blueprint("customers", __name__, url_prefix="/customers")

from app.blueprints.customers import print_routes, review_routes, routes  # noqa: E402,F401
