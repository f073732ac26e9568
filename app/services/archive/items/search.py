"""The catalogue's q= search: an item matches when its 档号 or 业务编号 begins with the term,
its title contains it (the title index, services/core/search), or its customer's name or
number matches it through the customers' own index (the customer master's Chinese search).

Two plans, chosen by how densely the newest items of the list match (PROBE of them tested):
- sparse (a number, a name, most words): the matching ids, each way through its own index,
  joined by UNION, drive the query; an OR of the four would read the whole catalogue;
- dense (a frequent word, a series prefix): the list is walked in its order and each item is
  tested, which stops as soon as the page and the capped count are full, instead of
  collecting and sorting thousands of matches. The tests are written so that no index is
  used for them (SQLite would otherwise drive the OR by the indexes and sort every match),
  and the title and customer tests look at the item at hand (a correlated EXISTS) rather
  than listing every title or customer that matches a frequent word."""

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, union

from app.extensions import db
from app.models import Customer
from app.models.archive import ArchiveItem, ArchiveItemSearch
from app.services.core import search
from app.services.core.pagination import Sort
from app.services.core.search import Searched

SEARCH_CHARS = 100
# A walk tests about PROBE / DENSE rows per match: from DENSE matches among the newest PROBE
# items (6 %), the capped count (1,000) is reached within ~17,000 rows tested, cheaper than
# collecting the ~18,000 matches a UNION would sort at 300,000 items (bench.archive_catalogue).
PROBE, DENSE = 1000, 60


class _Term:
    """One q= term and its four ways to match."""

    def __init__(self, q: str):
        self.prefix = q.upper()
        self.titles = search.match(ArchiveItemSearch, q)
        self.customers = search.match(Customer, q)

    def _range(self, column) -> ColumnElement[bool]:
        return (column >= self.prefix) & (column < self.prefix + "\uffff")

    def ids(self) -> list[Select]:
        """Each way's matching ids, through its index."""
        found = [select(ArchiveItem.id).where(self._range(column))
                 for column in (ArchiveItem.archive_number, ArchiveItem.business_number)]
        if self.titles is not None:
            found.append(select(ArchiveItemSearch.id).where(self.titles))
        if self.customers is not None:
            found.append(select(ArchiveItem.id).where(
                ArchiveItem.customer_id.in_(select(Customer.id).where(self.customers))))
        return found

    def tests(self) -> list[ColumnElement[bool]]:
        """Each way as a test of the item at hand (`|| ''` and `+ 0` keep indexes out)."""
        tests = [self._range(column + "")
                 for column in (ArchiveItem.archive_number, ArchiveItem.business_number)]
        if self.titles is not None:
            tests.append(exists().where(ArchiveItemSearch.id == ArchiveItem.id + 0,
                                        self.titles))
        if self.customers is not None:
            tests.append(exists().where(Customer.id == ArchiveItem.customer_id + 0,
                                        self.customers))
        return tests


def _dense(query: Select, tests: list[ColumnElement[bool]]) -> bool:
    """Whether DENSE of the list's newest PROBE items match."""
    newest = query.with_only_columns(ArchiveItem.id).order_by(ArchiveItem.id.desc()).limit(PROBE)
    matched = select(ArchiveItem.id).where(ArchiveItem.id.in_(newest.scalar_subquery()),
                                           or_(*tests)).limit(DENSE)
    return db.session.scalar(select(func.count()).select_from(matched.subquery())) >= DENSE


def searched(query: Select, q: str, sort: Sort) -> Searched:
    """`query` narrowed to the items matching `q` (blank: unchanged), with its plan: a walk
    is counted in the page's order, the same walk giving the first page."""
    q = q.strip()[:SEARCH_CHARS]
    if not q:
        return Searched(query, sort)
    term = _Term(q)
    tests = term.tests()
    if _dense(query, tests):
        return Searched(query.where(or_(*tests)), sort, one_walk=True)
    return Searched(query.where(ArchiveItem.id.in_(union(*term.ids()))), sort)
