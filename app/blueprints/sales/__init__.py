"""销售台账 (/sales/): visits, contracts, the sales ledger and receivables, results, ownership,
referrals, Excel imports. One route module per ledger; each registers its pages on the home."""

from flask import Blueprint

bp = Blueprint("sales", __name__, url_prefix="/sales")

from app.blueprints.sales import (  # noqa: E402,F401
    contracts,
    home,
    imports,
    ledger,
    ownership,
    payments,
    reassign,
    receivables,
    referrals,
    results,
    visits,
)
