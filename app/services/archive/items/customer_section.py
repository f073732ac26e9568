"""The archive's section of a customer's page (档案): the customer's filed items (档号, kind,
filed at, state), newest first, counting and listing only what the viewer's own catalogue
would show them (policy.scope), in one statement whatever the number of items, built once per
viewer (services.core.viewer_statements)."""

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, func, select

from app import policy
from app.models import Customer, User
from app.models.archive import ArchiveItem
from app.policy import Action
from app.services.archive.items.lists import kind_label
from app.services.core.loading import read_rows
from app.services.core.notifications import Link
from app.services.core.viewer_statements import for_viewer
from app.services.customers.related import RelatedSection

SHOWN = 5  # rows on the customer's page; the section links to the catalogue


# What a row of the section shows (the page only reads it: rows of columns, not entities).
_ROW_COLUMNS = (ArchiveItem.id, ArchiveItem.archive_number, ArchiveItem.record_type,
                ArchiveItem.title, ArchiveItem.filed_at, ArchiveItem.state)


def _items(viewer: User) -> Select:
    """The viewer's newest SHOWN items of the customer bound as :customer, each with how many
    there are (a window computed before the LIMIT)."""
    scoped = policy.scope(select(ArchiveItem).where(
        ArchiveItem.customer_id == bindparam("customer")), viewer, ArchiveItem)
    return (scoped.with_only_columns(*_ROW_COLUMNS, func.count().over().label("listed_total"))
            .order_by(ArchiveItem.id.desc()).limit(SHOWN))


class ArchiveSection:
    """该客户的档案: its filed items as the viewer's catalogue shows them."""

    def section(self, customer: Customer, viewer: User) -> RelatedSection | None:
        if not policy.can(viewer, Action.VIEW, ArchiveItem):
            return None
        statement = for_viewer("archive.customer_items", viewer, lambda: _items(viewer))
        rows = read_rows(statement, {"customer": customer.id})
        return RelatedSection(
            "customer-archive", _("档案"), "archive/items/_customer_section.html",
            rows=rows, total=rows[0].listed_total if rows else 0,
            data={"kinds": {row.id: kind_label(row.record_type) for row in rows}},
            more_link=Link("archive.item_list", {"customer_id": customer.id}))
