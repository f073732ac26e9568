"""Loading what a page shows with its rows, so that templates never query (DESIGN.md).

Most lists put loader options (selectinload, joinedload) on their query. Some rows come from
elsewhere: a record policy.load has fetched, a keyset walk that reads its page by id (the
pagination's one-walk plan, which drops the query's options), a row expired by a commit.
`load_related` gives such rows what the page reads of them before the template runs.

Pages that only read (lists, a record page's sections) select rows of columns instead of
entities; `read_rows` runs such a statement."""

import keyword
from collections import namedtuple
from functools import lru_cache

from sqlalchemy import Select, select

from app.extensions import db


def load_related(rows, *options) -> None:
    """Loads the loader `options` (e.g. selectinload(Contract.customer)) onto `rows`, objects
    of one model already in the session, in one SELECT of them plus one per selectinload:
    selecting a row the session holds fills in only what it has not loaded (or what a commit
    expired), so the caller's objects are the ones that get their relationships."""
    rows = [row for row in rows if row is not None]
    if not rows:
        return
    model = type(rows[0])
    query = select(model).where(model.id.in_({row.id for row in rows})).options(*options)
    db.session.scalars(query).unique().all()


def read_rows(statement: Select, params: dict | None = None) -> list[tuple]:
    """The rows of a statement of columns (no entities), read on the session's connection:
    session.execute would still run the ORM's loading (~30 µs a statement, a fifth of a
    section's cost). Pending changes are flushed first, as the session would before a query.

    Each row is a named tuple of the statement's columns, not SQLAlchemy's Row: reading a
    Row's column by name (row.name, as templates do) first fails the ordinary attribute lookup,
    which costs an AttributeError, ~0.9 µs a read against ~0.08 µs for a named tuple's; a
    list page reads a few hundred of them."""
    db.session.flush()
    result = db.session.connection().execute(statement, params or {})
    row_type = _row_type(tuple(result.keys()))
    return result.all() if row_type is None else list(map(row_type._make, result))


@lru_cache(maxsize=1024)
def _row_type(columns: tuple[str, ...]) -> type[tuple] | None:
    """The named tuple of a statement's columns; None when a name cannot be a field's (a
    keyword such as the code "return" labelling a sum, a leading underscore, or two columns
    labelled alike): such rows stay SQLAlchemy's."""
    if len(set(columns)) < len(columns) or any(
            keyword.iskeyword(name) or name.startswith("_") or not name.isidentifier()
            for name in columns):
        return None
    return namedtuple("ReadRow", columns)
