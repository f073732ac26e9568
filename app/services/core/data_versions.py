"""Data versions: a number per set of tables that every committed write to one of them moves
on, so that what is computed from those tables (a report over every open payment term of a
department) can be kept and served again until they change.

Writes are seen where SQLAlchemy runs them: every INSERT, UPDATE or DELETE statement on a
watched table, whether the ORM's flush sent it or a service's `update(Contract)`, marks the
connection; its commit then moves the version on, in the same transaction as the write, as the
transaction's last statement. So a reader never sees a version whose data it cannot see (it
reads the version first), and the version row is locked only while its transaction commits
(taken last, it cannot be part of a deadlock with the rows the transaction wrote). A
rollback forgets the mark. Statements written as text (raw SQL) are not seen: watched tables
are written through SQLAlchemy's statements.

A set with no row in data_versions has no version (None), nor has a set the reader's own
transaction has written: nothing computed from it then is kept.
"""

from collections.abc import Callable

from sqlalchemy import Engine, Select, Table, bindparam, event, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

from app.extensions import db
from app.models.data_versions import DataVersion
from app.services.core.loading import read_rows
from app.services.core.viewer_statements import for_viewer

_WATCHED: dict[Table, frozenset[str]] = {}  # table -> the names of the sets it is in
_MARK = "data_versions.written"  # connection.info: names of the sets written in its transaction
_READ = "data_versions.read"  # session.info: versions read in the session's transaction
_VERSION = select(DataVersion.version).where(DataVersion.name == bindparam("name"))


def watch(name: str, *tables: Table) -> None:
    """Every committed write to one of `tables` moves the version `name` on (its row is made
    by a migration)."""
    for table in tables:
        _WATCHED[table] = _WATCHED.get(table, frozenset()) | {name}


def version(name: str) -> int | None:
    """The version of `name`, read once per transaction; None when this transaction has
    written its tables (its data is not yet, and may never be, what the version stands for).
    Read before the data: what is computed after it is at least as new as the version it is
    kept under (a newer version only makes the next reader compute it again)."""
    db.session.flush()  # pending writes to the set mark the transaction
    connection = db.session.connection()
    if name in connection.info.get(_MARK, ()):
        return None
    read = db.session.info.setdefault(_READ, {})
    if name not in read:
        read[name] = connection.execute(_VERSION, {"name": name}).scalar()
    return read[name]


def kept_rows(name: str, viewer, statement: Callable[[], Select], extra: tuple,
              data: str) -> tuple:
    """The rows of `statement()` (read_rows), kept for `viewer` under `name`, `extra` and the
    current version of the set `data` (for_viewer): computed again once the set is written,
    and every time while it has no version."""
    current = version(data)
    if current is None:
        return tuple(read_rows(statement()))
    extra = (*extra, current)
    return for_viewer(name, viewer, lambda: tuple(read_rows(statement())), extra=extra)


@event.listens_for(Engine, "before_execute")
def _mark_writes(connection, statement, *_args) -> None:
    if isinstance(statement, UpdateBase):
        names = _WATCHED.get(statement.table)
        if names:
            connection.info.setdefault(_MARK, set()).update(names)


@event.listens_for(Engine, "commit")
def _move_versions_on(connection) -> None:
    names = connection.info.pop(_MARK, None)
    if names:
        connection.execute(update(DataVersion).where(DataVersion.name.in_(sorted(names)))
                           .values(version=DataVersion.version + 1))


@event.listens_for(Engine, "rollback")
def _forget_writes(connection) -> None:
    connection.info.pop(_MARK, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_versions_read(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_READ, None)
