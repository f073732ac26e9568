"""The shared customer master (/customers/)."""

from flask import Blueprint

from app.services.customers import registration

bp = Blueprint("customers", __name__, url_prefix="/customers")

from app.blueprints.customers import (  # noqa: E402,F401
    contact_routes,
    phone_export_routes,
    pick_routes,
    print_routes,
    review_routes,
    routes,
)


def plug_in(app) -> None:
    """The customer master's one registration: its approval flows, then its pages."""
    registration.plug_in()
    app.register_blueprint(bp)
