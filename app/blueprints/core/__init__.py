"""Home (我的工作台), health check and the department areas still to come."""

from flask import Blueprint

from app.blueprints._once import form_token

bp = Blueprint("core", __name__)
bp.add_app_template_global(form_token, "once_token")  # the one-time token of create forms

from app.blueprints.core import routes  # noqa: E402,F401
