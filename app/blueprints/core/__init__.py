"""Home (我的工作台), health check and the department areas still to come."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from app.blueprints.core import routes  # noqa: E402,F401
