"""The customer picker's search (htmx): GET /customers/pick?q=…&field=…&scope=…&value=…"""

from flask import request
from flask_babel import gettext as _
from flask_login import login_required

from app import policy
from app.blueprints._kit import in_scope
from app.blueprints._picker import options, search_text
from app.blueprints.customers import bp
from app.models import Customer
from app.policy import Action
from app.services.customers import picker


@bp.get("/pick")
@login_required
def customer_pick():
    """The customers matching what was typed, among those the user may choose: their own data
    scope (scope=card: every card they may see, e.g. the customer a referral names); at most
    ten, by name. value=number: the options carry numbers (forms that take a number)."""
    action = Action.VIEW_CARD if request.args.get("scope") == "card" else Action.VIEW
    policy.require(action, Customer)
    by_number = request.args.get("value") == "number"
    found = picker.matching(in_scope(Customer, action), search_text())
    return options(found, lambda c: (c.number if by_number else c.id,
                                     f"{c.name}（{c.number}）", None),
                   _("没有找到匹配的客户。"))
