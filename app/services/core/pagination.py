"""Keyset pagination and capped counts: lists never load or count everything."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from flask import current_app
from sqlalchemy import Select, func, select, tuple_

from app.extensions import db
from app.services.core.report_cursor import BadCursor, pack, row_id, unpack, whole


@dataclass(frozen=True)
class Sort:
    column: object  # a mapped column; ties are broken by the model's id
    descending: bool
    # The column alone orders the rows (the id, or a search index's copy of it read through
    # the same attribute name): no tie-break, so an index can deliver the order by itself.
    unique: bool = False

    def keys(self, model) -> tuple:
        """The columns rows are ordered by."""
        if self.unique or self.column is model.id:
            return (self.column,)
        return (self.column, model.id)

    def order_by(self, model, descending: bool) -> list:
        """ORDER BY terms for this sort, in the given direction."""
        return [key.desc() if descending else key.asc() for key in self.keys(model)]


@dataclass
class Page:
    rows: list
    next_cursor: str | None = None
    prev_cursor: str | None = None


def _encode(value, row: int) -> str:
    if isinstance(value, date | datetime):
        value = value.isoformat()
    return pack(value, row)


def _decode(cursor: str, sort: Sort) -> tuple:
    """The (value, id) in a cursor made for `sort`; BadCursor for any other (another sort's,
    or one altered by hand), so that no query binds a value its column cannot hold."""
    value, row = unpack(cursor, 2)
    return _typed(value, sort.column.type.python_type), row_id(row)


def _typed(value, python_type: type):
    """A cursor's sort value as the sort column's Python type."""
    try:
        if python_type is datetime and isinstance(value, str):
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:  # stored naive (UTC): an offset is not one of ours
                return moment
        elif python_type is date and isinstance(value, str):
            return date.fromisoformat(value)
        elif issubclass(python_type, Enum):
            return python_type(value)
        elif issubclass(python_type, int):
            return whole(value)
        elif issubclass(python_type, str) and isinstance(value, str) and "\x00" not in value:
            return value  # PostgreSQL text holds no NUL character
    except ValueError as error:
        raise BadCursor(value) from error
    raise BadCursor(value)


def keyset_page(query: Select, model, sort: Sort, *, after: str | None = None,
                before: str | None = None, size: int | None = None) -> Page:
    """One page of `query` in (sort column, id) order, after or before an opaque cursor."""
    return _keyset(query, model, sort, after, before, size)[0]


def _keyset(query: Select, model, sort: Sort, after: str | None, before: str | None,
            size: int | None, counted: Select | None = None) -> tuple[Page, int | None]:
    """The page, and the value of `counted` fetched in the same statement (None if no rows)."""
    size = size or current_app.config["PAGE_SIZE"]
    cursor = _decode(after or before, sort) if (after or before) else None
    backwards = cursor is not None and not after
    descending = sort.descending != backwards
    if cursor:
        query = query.where(_beyond(sort, model, cursor, descending))
    query = query.order_by(*sort.order_by(model, descending)).limit(size + 1)
    extra = None
    if counted is None:
        rows = list(db.session.scalars(query).unique())
    else:
        pairs = db.session.execute(query.add_columns(counted.scalar_subquery())).unique().all()
        rows, extra = [row for row, _ in pairs], (pairs[0][1] if pairs else None)
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next = True if backwards else more
    has_prev = more if backwards else cursor is not None
    return _page(rows, sort, has_next, has_prev), extra


def _beyond(sort: Sort, model, cursor: tuple, descending: bool):
    """Rows after `cursor` in the order: (value, id) compared as a pair, a unique key alone."""
    keys = sort.keys(model)
    if len(keys) == 1:
        return keys[0] < cursor[0] if descending else keys[0] > cursor[0]
    key, value = tuple_(*keys), tuple_(*cursor)
    return key < value if descending else key > value


def _page(rows: list, sort: Sort, has_next: bool, has_prev: bool) -> Page:
    """The page with cursors built from its first and last rows."""
    page = Page(rows)
    if rows:
        attr = sort.column.key
        if has_next:
            page.next_cursor = _encode(getattr(rows[-1], attr), rows[-1].id)
        if has_prev:
            page.prev_cursor = _encode(getattr(rows[0], attr), rows[0].id)
    return page


def capped_count(query: Select, model, cap: int | None = None) -> tuple[int, bool]:
    """(count, capped): counts no further than `cap` rows."""
    cap = cap or current_app.config["COUNT_CAP"]
    total = db.session.scalar(_counting(query, model, cap))
    return min(total, cap), total > cap


@dataclass(frozen=True)
class CappedCounts:
    """The capped counts of several queries in one statement: a page showing several figures
    (the home page's) pays for one round trip and one compiled statement rather than one per
    figure. Built once, it can be run again (services.core.viewer_statements)."""

    caps: tuple[int, ...]
    statement: Select | None

    @classmethod
    def of(cls, counted: list[tuple[Select, object, int]]) -> "CappedCounts":
        """For each (query, model, cap): the rows of `query` counted no further than `cap`."""
        statement = select(*(_counting(query, model, cap).scalar_subquery()
                             for query, model, cap in counted)) if counted else None
        return cls(tuple(cap for _query, _model, cap in counted), statement)

    def run(self) -> list[tuple[int, bool]]:
        """(count, capped) of each query, in order."""
        if self.statement is None:
            return []
        totals = db.session.execute(self.statement).one()
        return [(min(total, cap), total > cap)
                for total, cap in zip(totals, self.caps, strict=True)]


def _counting(query: Select, model, cap: int) -> Select:
    """SELECT the number of rows of `query`, counting no further than `cap` + 1."""
    limited = query.with_only_columns(model.id).order_by(None).limit(cap + 1).subquery()
    return select(func.count()).select_from(limited)


def counted_page(query: Select, model, sort: Sort, *, after: str | None = None,
                 before: str | None = None, one_walk: bool = False) -> tuple[Page, int, bool]:
    """(page, count, capped), in one statement where possible: the count rides along with the
    page as a subquery. With `one_walk` the rows are counted in the sort's order instead (the
    only cheap order for some queries, e.g. an SQLite FTS5 join) and the first page is read from
    that same walk: the first ids give the count and the page, whose rows are loaded by id."""
    cap = current_app.config["COUNT_CAP"]
    if one_walk:
        return _walked_page(query, model, sort, after, before, cap)
    page, total = _keyset(query, model, sort, after, before, None, _counting(query, model, cap))
    if total is None:  # no rows on the page: none at all, or a cursor past the end
        return (page, *capped_count(query, model, cap)) if (after or before) else (page, 0, False)
    return page, min(total, cap), total > cap


def _walked_page(query: Select, model, sort: Sort, after: str | None, before: str | None,
                 cap: int) -> tuple[Page, int, bool]:
    """Count and first page from one walk of the ids in the sort's order."""
    size = current_app.config["PAGE_SIZE"]
    ordered = query.with_only_columns(model.id).order_by(*sort.order_by(model, sort.descending))
    ids = list(db.session.scalars(ordered.limit(max(cap, size) + 1)))
    total, capped = min(len(ids), cap), len(ids) > cap
    if after or before:
        return keyset_page(query, model, sort, after=after, before=before), total, capped
    return _page(_load(model, ids[:size]), sort, len(ids) > size, False), total, capped


def _load(model, ids: list[int]) -> list:
    """The rows with these ids, in this order."""
    if not ids:
        return []
    by_id = {row.id: row for row in
             db.session.scalars(select(model).where(model.id.in_(ids))).unique()}
    return [by_id[row_id] for row_id in ids]
