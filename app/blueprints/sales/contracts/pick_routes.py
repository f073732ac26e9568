"""The contract picker's search (htmx): GET /sales/contracts/pick?q=…&field=…&status=…"""

from flask import request
from flask_babel import gettext as _
from flask_login import login_required

from app.blueprints._kit import scoped_list
from app.blueprints._picker import options, search_text
from app.blueprints.sales import bp
from app.models import Contract
from app.services.sales.contracts import picker
from app.services.sales.ledger.payments import EFFECTIVE


def contract_label(contract: Contract) -> str:
    """How a picker names a contract: number · customer · name."""
    return f"{contract.number} · {contract.customer.name} · {contract.name}"


@bp.get("/contracts/pick")
@login_required
def contract_pick():
    """The contracts matching what was typed (their number or name, their customer's name,
    initials or number) among those the user may see; status=effective: only those in force
    (the ones sales and payments are recorded under). At most ten, newest first."""
    scoped = scoped_list(Contract)
    statuses = EFFECTIVE if request.args.get("status") == "effective" else ()
    found = picker.matching(scoped, search_text(), statuses)
    return options(found, lambda c: (c.id, contract_label(c), None), _("没有找到匹配的合同。"))
