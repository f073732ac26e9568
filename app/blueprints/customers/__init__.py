"""The shared customer master (/customers/)."""

from flask import Blueprint

bp = Blueprint("customers", __name__, url_prefix="/customers")

from app.blueprints.customers import (  # noqa: E402,F401
    contact_routes,
    print_routes,
    review_routes,
    routes,
)
