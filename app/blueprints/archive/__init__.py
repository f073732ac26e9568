"""档案室 (/archive/): the catalogue, handovers (归档移交), loans (借阅), legal holds (冻结),
disposals (销毁), four-property checks (四性检测) and the retention schedule. One subpackage per
ledger; ROUTE_MODULES is the whole list of modules that add pages to the blueprint (no route
module imports another)."""

from importlib import import_module

from flask import Blueprint

from app.services.archive import registration

bp = Blueprint("archive", __name__, url_prefix="/archive")

ROUTE_MODULES = (
    "home",
    "items.routes",
    "items.detail_routes",
    "items.print_routes",
    "handovers.routes",
    "loans.routes",
    "loans.action_routes",
    "loans.viewer_routes",
    "holds.routes",
    "disposals.routes",
    "disposals.action_routes",
    "disposals.register_routes",
    "checks.routes",
    "checks.report_routes",
    "checks.scheme_routes",
    "checks.commands",
    "retention.routes",
    "retention.edit_routes",
)

for _module in ROUTE_MODULES:
    import_module(f"{__name__}.{_module}")


def plug_in(app) -> None:
    """The archive's one registration: its rules and audit labels (services.archive.registration),
    then its pages."""
    registration.plug_in()
    app.register_blueprint(bp)
