"""What the customer master's pages share: the list's filters, read the same way by the list,
its export and the full-phone export (phone_export_routes), and the pieces of the list page that
are the same from one request to the next."""

from enum import Enum

from flask import get_template_attribute
from flask_babel import get_locale

from app.blueprints.customers.forms import CustomerFilterForm
from app.models import CustomerStatus, Level
from app.services.core.labels import labels_of
from app.services.customers.lists import CustomerFilters

# {(locale, macro, enum): {member: the macro's markup}}
_BADGES: dict[tuple, dict] = {}


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


def list_page_parts(clearance: Level) -> dict:
    """What the list page shows besides its rows, made once per language (the filters' selects
    and the rows' links are the shared filter_select and id_url_parts of app/web.py): the
    user's 密级 choices and the rows' badges."""
    levels = labels_of(Level)
    return {"levels": [(level.value, levels[level]) for level in Level if level <= clearance],
            "level_badges": badges("level_badge", Level),
            "status_badges": badges("status_badge", CustomerStatus)}


def badges(macro: str, choice: type[Enum]) -> dict:
    """{member: its badge}, as the shared macro `macro` of _macros/records.html (level_badge,
    status_badge) renders it, rendered once per language and process rather than once per row
    (a changed macro shows after a restart)."""
    key = (str(get_locale()), macro, choice)
    found = _BADGES.get(key)
    if found is None:
        render = get_template_attribute("_macros/records.html", macro)
        found = _BADGES[key] = {member: render(member) for member in choice}
    return found
