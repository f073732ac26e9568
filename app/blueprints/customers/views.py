"""What the customer master's pages share: the list's filters, read the same way by the list,
its export and the full-phone export (phone_export_routes)."""

from app.blueprints.customers.forms import CustomerFilterForm
from app.services.customers.lists import CustomerFilters


def list_filters(form: CustomerFilterForm, directory: bool = False) -> CustomerFilters:
    """The valid filters (an invalid one is ignored, not fatal). The directory shows basic
    cards, which carry no review state: it is not filtered by one."""
    value = form.checked()
    return CustomerFilters(
        q=value["q"] or "", status="" if directory else value["status"] or "",
        type=value["type"] or "", grade=value["grade"] or "",
        industry=value["industry"] or "", owner=value["owner"], level=value["level"],
        sort=value["sort"] or "created", direction=value["dir"] or "",
        after=value["after"] or None, before=value["before"] or None)
