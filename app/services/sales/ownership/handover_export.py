"""离职人员交接 as a workbook: each departed salesperson who still holds records in the user's
scope, with how many customers, open contracts and planned visits, and what they still hold in
other departments (services.core.departures), as the page lists them."""

from flask_babel import lazy_gettext as _l

from app.services.core import departures
from app.services.sales.ownership.handover import Holdings

HEADERS = (_l("离职人员"), _l("工号"), _l("客户"), _l("未结合同"), _l("拜访计划"))


def export_table(holdings: list[Holdings]) -> tuple[list[str], list[tuple]]:
    """(headers, rows) of the page's table, in its order (by name); the 接手人 picker is a
    form, not data, and is left out."""
    kinds = departures.kinds()
    rows = [(h.user.full_name, h.user.employee_no, h.customers, h.contracts, h.visits,
             *(h.others.get(kind, 0) for kind in kinds)) for h in holdings]
    return [str(h) for h in (*HEADERS, *kinds.values())], rows
