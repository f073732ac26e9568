"""Customer lists: filters, search and sorting on a query policy has already scoped."""

from dataclasses import dataclass

from sqlalchemy import Select

from app.models import Customer
from app.services import search
from app.services.pagination import Page, Sort, counted_page

SORT_COLUMNS = {
    "created": (Customer.id, True),
    "name": (Customer.name_sort, False),
    "updated": (Customer.updated_at, True),
    "grade": (Customer.grade, False),
}


@dataclass
class CustomerFilters:
    q: str = ""
    type: str = ""
    grade: str = ""
    industry: str = ""
    owner: int | None = None
    level: int | None = None
    sort: str = "created"
    direction: str = ""  # "asc" / "desc"; empty: the column's natural direction
    after: str | None = None
    before: str | None = None

    def sort_spec(self) -> Sort:
        column, descending = SORT_COLUMNS.get(self.sort, SORT_COLUMNS["created"])
        if self.direction in ("asc", "desc"):
            descending = self.direction == "desc"
        return Sort(column, descending)


def filtered(query: Select, f: CustomerFilters) -> Select:
    """Applies the list's filters and search to an already scoped query."""
    clause = search.match(Customer, f.q)
    query = _narrowed(query, f)
    return query if clause is None else query.where(clause)


def _narrowed(query: Select, f: CustomerFilters) -> Select:
    """The list's filters (type, grade, industry, owner, level) applied."""
    for column, value in ((Customer.type, f.type), (Customer.grade, f.grade),
                          (Customer.industry, f.industry), (Customer.owner_id, f.owner),
                          (Customer.confidentiality, f.level)):
        if value:
            query = query.where(column == value)
    return query


@dataclass
class CustomerListing:
    page: Page
    total: int
    capped: bool


def customer_listing(scoped: Select, f: CustomerFilters) -> CustomerListing:
    """One page of the filtered list with its capped count."""
    found = search.restrict(_narrowed(scoped, f), Customer, f.q, f.sort_spec())
    page, total, capped = counted_page(found.query, Customer, found.sort, after=f.after,
                                       before=f.before, one_walk=found.one_walk)
    return CustomerListing(page, total, capped)
