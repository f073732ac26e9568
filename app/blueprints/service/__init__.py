"""客服台账 (/service/): service records, follow-ups, return visits, SLAs, the duty roster,
fault reports, statistics, imports. One subpackage per ledger; ROUTE_MODULES is the whole list
of modules that add pages to the blueprint (no route module imports another)."""

from importlib import import_module

from flask import Blueprint

from app.services.service import registration

bp = Blueprint("service", __name__, url_prefix="/service")

ROUTE_MODULES = (
    "home",
    "sla.routes",
    "sla.contract_routes",
    "sla.run_routes",
    "roster.routes",
    "roster.holiday_routes",
    "faults.routes",
    "follow_ups.create_routes",
    "follow_ups.overdue_routes",
    "follow_ups.cadence_routes",
    "records.list_routes",
    "records.edit_routes",
    "records.action_routes",
    "visits.list_routes",
    "visits.visit_routes",
    "visits.commands",
    "records.print_routes",
    "statistics.routes",
    "statistics.report_routes",
    "statistics.commands",
    "imports.routes",
)

for _module in ROUTE_MODULES:
    import_module(f"{__name__}.{_module}")


def plug_in(app) -> None:
    """The customer service department's one registration: its rules, importers and record
    kinds (services.service.registration), then its pages."""
    registration.plug_in()
    app.register_blueprint(bp)
