"""销售台账 (/sales/): visits, contracts, the sales ledger and receivables, results, ownership,
referrals, Excel imports. One subpackage per ledger; ROUTE_MODULES is the whole list of modules
that add pages (or template helpers) to the blueprint (no route module imports another)."""

from importlib import import_module

from flask import Blueprint

from app.services.sales import registration

bp = Blueprint("sales", __name__, url_prefix="/sales")

ROUTE_MODULES = (
    "templating", "home",
    "contracts.list_routes", "contracts.edit_routes", "contracts.change_routes",
    "contracts.review_routes", "contracts.pick_routes",
    "visits.list_routes", "visits.plan_routes", "visits.report_routes", "visits.grid_routes",
    "ledger.entry_routes", "ledger.payment_routes", "ledger.receivable_routes",
    "ledger.result_routes",
    "ownership.transfer_routes", "ownership.handover_routes", "ownership.referral_routes",
    "imports.routes",
)

for _module in ROUTE_MODULES:
    import_module(f"{__name__}.{_module}")


def plug_in(app) -> None:
    """The sales department's one registration: its rules, flows, importers and followers
    (services.sales.registration), then its pages."""
    registration.plug_in()
    app.register_blueprint(bp)
