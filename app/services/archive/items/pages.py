"""An item's page (/archive/items/<id>): everything the catalogue knows of it, loaded before
the template runs: its people and department, the customer, the record it holds (as its kind
links it), the versions it supersedes and that supersede it, the voids of its 档号, the PDF/A
check stored at filing, and who has it on loan."""

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Customer
from app.models.archive import ArchiveItem, ArchiveNumberVoid
from app.services.archive.items.lists import current_borrowers, kind_label, retention_label
from app.services.core.loading import load_related
from app.services.core.notifications import Link
from app.services.core.record_kinds import kind_of

LOADS = (selectinload(ArchiveItem.department), selectinload(ArchiveItem.filed_by),
         selectinload(ArchiveItem.received_by), selectinload(ArchiveItem.supersedes))


@dataclass
class ItemPage:
    item: ArchiveItem
    kind: str
    retention: str
    customer: Customer | None
    record_link: Link | None
    superseded_by: list[ArchiveItem]
    voids: list[ArchiveNumberVoid]
    checks: dict  # the PDF/A check at filing: {check: True or why it failed}
    borrower: str

    @property
    def voided(self) -> bool:
        return bool(self.voids)


def _record_link(item: ArchiveItem) -> Link | None:
    """The page of the record the item holds, as its kind links it (None for a kind no
    domain registers any more, or a record that is gone)."""
    try:
        kind = kind_of(item.record_type)
    except KeyError:
        return None
    record = kind.load(item.record_id)
    return kind.link(record) if record is not None else None


def _checks(item: ArchiveItem) -> dict:
    try:
        return json.loads(item.pdfa_check).get("checks", {})
    except (ValueError, AttributeError):
        return {}


def item_page(item: ArchiveItem) -> ItemPage:
    """What the item's page shows (a fixed number of statements)."""
    load_related([item], *LOADS)
    customer = db.session.get(Customer, item.customer_id) if item.customer_id else None
    superseded_by = list(db.session.scalars(select(ArchiveItem).where(
        ArchiveItem.supersedes_id == item.id).order_by(ArchiveItem.id)))
    voids = list(db.session.scalars(
        select(ArchiveNumberVoid).where(ArchiveNumberVoid.archive_number == item.archive_number)
        .options(selectinload(ArchiveNumberVoid.voided_by))))
    return ItemPage(item, kind_label(item.record_type), retention_label(item), customer,
                    _record_link(item), superseded_by, voids, _checks(item),
                    current_borrowers([item.id]).get(item.id, ""))
