"""The holds' list (active first by default), its Excel export, and a hold's page: what it
names and the items it covers now, on queries policy has already scoped."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.archive import ArchiveHold, ArchiveItem, HoldScope
from app.services.archive.holds.coverage import ACTIVE, covered_by
from app.services.core.audit_labels import object_type_label as kind_label
from app.services.core.pagination import Page, Sort, counted_page
from app.services.core.record_kinds import filing_types
from app.timeutil import to_local

SORT = Sort(ArchiveHold.id, True)
ROW_LOADS = (selectinload(ArchiveHold.item), selectinload(ArchiveHold.customer),
             selectinload(ArchiveHold.placed_by), selectinload(ArchiveHold.released_by))
STATES = {"active": ACTIVE, "released": ArchiveHold.released_at.is_not(None)}
COVERED_SHOWN = 50


@dataclass
class HoldFilters:
    state: str = "active"  # active, released, or "" for all
    scope: str = ""
    after: str | None = None
    before: str | None = None


@dataclass
class HoldListing:
    page: Page
    total: int
    capped: bool


def kind_choices() -> list[tuple[str, str]]:
    """(record type, its name) of every kind that can be filed, hence held."""
    return [(record_type, kind_label(record_type)) for record_type in filing_types()]


def target_text(hold: ArchiveHold) -> str:
    """What the hold names, as its list and page show it (its relations loaded)."""
    if hold.scope == HoldScope.ITEM:
        return f"{hold.item.archive_number} {hold.item.title}"
    if hold.scope == HoldScope.CUSTOMER:
        return f"{hold.customer.name}（{hold.customer.number}）"
    return kind_label(hold.record_type)


def filtered(scoped: Select, f: HoldFilters) -> Select:
    query = scoped
    if f.state in STATES:
        query = query.where(STATES[f.state])
    if f.scope in {s.value for s in HoldScope}:
        query = query.where(ArchiveHold.scope == f.scope)
    return query


def listing(scoped: Select, f: HoldFilters) -> HoldListing:
    """One page of the filtered holds, the latest first, with its capped count."""
    page, total, capped = counted_page(filtered(scoped, f).options(*ROW_LOADS), ArchiveHold,
                                       SORT, after=f.after, before=f.before)
    return HoldListing(page, total, capped)


def load_page(hold: ArchiveHold) -> ArchiveHold:
    """The hold with what its page shows."""
    return db.session.scalar(select(ArchiveHold).where(ArchiveHold.id == hold.id)
                             .options(*ROW_LOADS))


def covered_items(hold: ArchiveHold, viewer) -> tuple[list[ArchiveItem], int]:
    """The first items the hold names that the viewer is cleared for, by 档号, and how many
    there are in all (the same clearance)."""
    query = select(ArchiveItem).where(covered_by(hold),
                                      ArchiveItem.confidentiality <= viewer.clearance)
    total = db.session.scalar(query.with_only_columns(func.count()))
    items = list(db.session.scalars(query.order_by(ArchiveItem.archive_number)
                                    .limit(COVERED_SHOWN)))
    return items, total


def export_table(scoped: Select, f: HoldFilters):
    """(headers, rows) of every filtered hold, the latest first."""
    headers = [_("编号"), _("冻结范围"), _("冻结对象"), _("冻结原因"), _("冻结人"), _("冻结时间"),
               _("解除人"), _("解除时间"), _("解除原因"), _("密级")]
    query = filtered(scoped, f).options(*ROW_LOADS).order_by(*SORT.order_by(ArchiveHold, True))
    return headers, (_row(hold) for hold in db.session.scalars(query))


def _when(value) -> str | None:
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value else None


def _row(hold: ArchiveHold) -> tuple:
    released_by = hold.released_by.full_name if hold.released_by else None
    return (hold.id, str(hold.scope.label), target_text(hold), hold.reason,
            hold.placed_by.full_name, _when(hold.placed_at), released_by,
            _when(hold.released_at), hold.release_reason, str(hold.confidentiality.label))
