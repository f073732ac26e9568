"""Keyset pagination and capped counts: lists never load or count everything."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from flask import current_app
from sqlalchemy import Select, bindparam, func, select, tuple_

from app.extensions import db
from app.services.core.loading import read_rows
from app.services.core.report_cursor import BadCursor, pack, row_id, unpack, whole
from app.services.core.viewer_statements import for_viewer


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


# The columns a row of a list shows, selected from a query of the model (narrowed no further:
# it joins what the row names, and labels the sort's column and the id with their names).
Shown = Callable[[Select], Select]


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
                before: str | None = None, size: int | None = None,
                as_rows: bool = False) -> Page:
    """One page of `query` in (sort column, id) order, after or before an opaque cursor: its
    entities, or with `as_rows` its rows of columns (which then label the sort's column and
    the id with their attribute names)."""
    return _keyset(query, model, sort, after, before, size, as_rows=as_rows)[0]


def _keyset(query: Select, model, sort: Sort, after: str | None, before: str | None,
            size: int | None, counted: Select | None = None,
            as_rows: bool = False) -> tuple[Page, int | None]:
    """The page, and the value of `counted` fetched in the same statement (None if no rows)."""
    size = size or current_app.config["PAGE_SIZE"]
    cursor = _decode(after or before, sort) if (after or before) else None
    backwards = cursor is not None and not after
    descending = sort.descending != backwards
    if cursor:
        query = query.where(_beyond(sort, model, cursor, descending))
    query = query.order_by(*sort.order_by(model, descending)).limit(size + 1)
    extra = None
    if as_rows:
        rows = read_rows(query, {})
    elif counted is None:
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
                 cap: int, shown: Shown | None = None) -> tuple[Page, int, bool]:
    """Count and first page from one walk of the ids in the sort's order; the page's rows are
    `model` entities, or rows of the columns `shown` selects if given."""
    size = current_app.config["PAGE_SIZE"]
    ordered = query.with_only_columns(model.id).order_by(*sort.order_by(model, sort.descending))
    ids = list(db.session.scalars(ordered.limit(max(cap, size) + 1)))
    total, capped = min(len(ids), cap), len(ids) > cap
    if after or before:
        if shown is None:
            return keyset_page(query, model, sort, after=after, before=before), total, capped
        statement = _page_statement(query, shown(query), model, sort, _direction(after, before))
        return _rows_page(statement, sort, after, before)[0], total, capped
    return _page(_load(model, ids[:size], shown), sort, len(ids) > size, False), total, capped


def _load(model, ids: list[int], shown: Shown | None) -> list:
    """The rows with these ids, in this order: entities, or rows of the columns `shown`
    selects (of the table by id: the walk has applied the filters, a search's included)."""
    if not ids:
        return []
    if shown is None:
        found = db.session.scalars(select(model).where(model.id.in_(ids))).unique()
    else:
        found = read_rows(shown(select(model)).where(model.id.in_(ids)), {})
    by_id = {row.id: row for row in found}
    return [by_id[row_id] for row_id in ids]


# A page of rows rather than entities: a page reads a dozen columns of twenty rows, which the
# ORM would turn into entities (identity map, joined loads, uniquing) at ~25 µs a row, three
# times what reading them costs. The statement of a list's page is built once per viewer and
# filters (viewer_statements): the cursor is bound when it runs.
CountedRows = tuple[Page, int, bool]


def rows_page(counted: Select, shown: Shown, model, sort: Sort, *, after: str | None = None,
              before: str | None = None, one_walk: bool = False) -> CountedRows:
    """(page, count, capped) as counted_page, the page's rows being rows of the columns
    `shown` selects from `counted`."""
    cap = current_app.config["COUNT_CAP"]
    if one_walk:
        return _walked_page(counted, model, sort, after, before, cap, shown)
    statement = _page_statement(counted, shown(counted), model, sort, _direction(after, before))
    return _counted_rows(statement, lambda: counted, model, sort, after, before)


def kept_rows_page(name: str, viewer, extra: Hashable, counted: Callable[[], Select],
                   shown: Shown, model, sort: Sort, *, after: str | None = None,
                   before: str | None = None) -> CountedRows:
    """rows_page of the query `counted` builds, its statement built once per `viewer` and
    `extra` (every filter `counted` reads) and kept (services.core.viewer_statements). Not for
    a search, whose plan depends on the data (services.core.search)."""
    direction = _direction(after, before)

    def build() -> Select:
        query = counted()
        return _page_statement(query, shown(query), model, sort, direction)

    statement = for_viewer(name, viewer, build,
                           extra=(extra, sort.column.key, sort.descending, direction))
    return _counted_rows(statement, counted, model, sort, after, before)


def _direction(after: str | None, before: str | None) -> str | None:
    return "after" if after else ("before" if before else None)


def _page_statement(counted: Select, shown: Select, model, sort: Sort,
                    direction: str | None) -> Select:
    """A page of `shown` in the sort's order, beyond the cursor bound when it runs
    (cursor_value, cursor_id) if `direction`, with the capped count of `counted` as its last
    column."""
    size, cap = current_app.config["PAGE_SIZE"], current_app.config["COUNT_CAP"]
    descending = sort.descending != (direction == "before")
    if direction:
        cursor = (bindparam("cursor_value", type_=sort.column.type), bindparam("cursor_id"))
        shown = shown.where(_beyond(sort, model, cursor, descending))
    total = _counting(counted, model, cap).scalar_subquery().label("listed_total")
    return shown.add_columns(total).order_by(*sort.order_by(model, descending)).limit(size + 1)


def _counted_rows(statement: Select, counted: Callable[[], Select], model, sort: Sort,
                  after: str | None, before: str | None) -> CountedRows:
    cap = current_app.config["COUNT_CAP"]
    page, total = _rows_page(statement, sort, after, before)
    if total is None:  # no rows on the page: none at all, or a cursor past the end
        return (page, *capped_count(counted(), model, cap)) if after or before else (page, 0, False)
    return page, min(total, cap), total > cap


def _rows_page(statement: Select, sort: Sort, after: str | None,
               before: str | None) -> tuple[Page, int | None]:
    """The page `statement` reads beyond the cursor, and its last column of the first row."""
    params = {}
    if after or before:
        value, row = _decode(after or before, sort)
        params = {"cursor_value": value, "cursor_id": row}
    rows = read_rows(statement, params)
    size, backwards = current_app.config["PAGE_SIZE"], before is not None and not after
    more = len(rows) > size
    total = rows[0][-1] if rows else None
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next = True if backwards else more
    has_prev = more if backwards else bool(after or before)
    return _page(rows, sort, has_next, has_prev), total
