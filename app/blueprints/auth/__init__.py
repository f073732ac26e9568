"""Sign-in, sign-out, password change, language preference and the user's own sessions."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.blueprints.auth import account_routes, routes  # noqa: E402,F401
