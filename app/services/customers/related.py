"""What the departments keep about a customer, shown on its page (its contracts, what it owes,
its visits…). A department registers a section source in its plug_in; the customer master shows
them without importing any department. Each source answers with what the viewer's own list of
those records would show them (same policy scope), loaded in a fixed number of statements."""

from dataclasses import dataclass, field
from typing import Protocol

from app.models import Customer, User


@dataclass
class RelatedSection:
    key: str  # unique among sections: the id of its part of the page
    title: str
    template: str  # renders `section` (this object); it never queries
    rows: list = field(default_factory=list)
    total: int = 0  # how many such records the viewer may see (rows holds the first few)
    more_link: str | None = None  # the viewer's list of them all, for this customer
    data: dict = field(default_factory=dict)  # anything else the template shows


class SectionSource(Protocol):
    def section(self, customer: Customer, viewer: User) -> RelatedSection | None:
        """The section for `viewer`, None when the viewer may not list such records at all."""


_SOURCES: list[tuple[int, str, SectionSource]] = []


def register(name: str, source: SectionSource, order: int = 100) -> None:
    """Adds (or replaces) the section source `name`; sections show by `order`."""
    _SOURCES[:] = [entry for entry in _SOURCES if entry[1] != name]
    _SOURCES.append((order, name, source))
    _SOURCES.sort(key=lambda entry: (entry[0], entry[1]))


def sections(customer: Customer, viewer: User) -> list[RelatedSection]:
    """Every department's section of `customer` that `viewer` may see, in order."""
    found = (source.section(customer, viewer) for _order, _name, source in _SOURCES)
    return [section for section in found if section is not None]
