"""Worlds built once per test process: a fixture marked `reused` builds its records by the
factories the first time, and every later test that asks for it from the freshly reset database
gets the same rows back by a copy (SQLite: the database file; PostgreSQL: the tables the world
changed, copied inside the server, and the sequences it moved) and the same records, loaded
again. The policy matrices build the same world
for each of eleven personas; building it took ~0.1–0.3 s a test (twice that on PostgreSQL).

A world is restored only onto the state it was built on: the migrated database with nothing
written since the reset between tests (`pristine`). A fixture that runs after another one wrote
builds its world by the factories, as without this module. Worlds are kept per day in the
company's time zone, so that no test reads a world whose "today" has passed.
"""

import copy
import functools
import os
import shutil
import sqlite3
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, is_dataclass
from types import SimpleNamespace

from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine, make_url

from app.extensions import db
from tests import postgres_reset
from tests.support import today

# Statements that change nothing: anything else sent since the reset makes the state unknown.
_READS = ("SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SHOW")
_state = {"pristine": False}
_kept: dict[tuple, "Snapshot"] = {}
_SETVAL = text("SELECT setval(CAST(:name AS regclass), :value)")


def install() -> None:
    """Watches every statement of every engine for writes (conftest's pytest_configure)."""
    event.listen(Engine, "before_cursor_execute", _note)


def _note(conn, cursor, statement: str, *args) -> None:
    if _state["pristine"] and not statement.lstrip()[:9].upper().startswith(_READS):
        _state["pristine"] = False


def reset_database(app) -> None:
    """Back to the migrated state (SQLite: the migrated file; PostgreSQL: postgres_reset)."""
    if "_TEMPLATE_DB" in app.config:
        replace_sqlite_file(app, app.config["_TEMPLATE_DB"])
    else:
        postgres_reset.reset(app.config["_SEEDED"])


def reset_done() -> None:
    """Nothing written since the database went back to its migrated state (conftest's clean_db,
    after its own writes)."""
    _state["pristine"] = True


def reused(build=None, *, folders: tuple[str, ...] = ()):
    """`build(app)` (a fixture's body) as above: by the factories once, then restored; with
    the files under the folders these config keys name (the archive's ARCHIVE_ROOT, which
    each test sets to a folder of its own) copied back too."""
    if build is None:
        return functools.partial(reused, folders=folders)

    @functools.wraps(build)
    def world(app):
        if not _state["pristine"]:
            return build(app)
        key = (build.__module__, build.__qualname__, today(app))
        if key not in _kept:
            built = build(app)
            _kept[key] = Snapshot.take(app, built, folders)
            return built
        return _kept[key].restore(app)

    return world


@dataclass(frozen=True)
class Snapshot:
    world: object  # a copy of the world as built: the caller may add to its own
    sqlite_file: str | None
    tables: dict[str, str]  # PostgreSQL: each table the world changed, and its copy
    sequences: dict[str, int]
    folders: dict[str, str]  # config key -> the copy of the folder it named

    @classmethod
    def take(cls, app, world, folders: tuple[str, ...]) -> "Snapshot":
        world = _walk(world, lambda record: record)
        saved = os.path.join(app.config["_SNAPSHOT_DIR"], str(len(_kept)))
        copies = {key: os.path.join(saved, key) for key in folders
                  if os.path.isdir(app.config[key])}
        for key, copied in copies.items():
            shutil.copytree(app.config[key], copied, dirs_exist_ok=True)
        with app.app_context():
            if "_TEMPLATE_DB" in app.config:
                target = os.path.join(saved, "world.db")
                os.makedirs(saved, exist_ok=True)
                with closing(sqlite3.connect(_sqlite_path(app))) as source, \
                        closing(sqlite3.connect(target)) as copied:
                    source.backup(copied)
                return cls(world, target, {}, {}, copies)
            tables, sequences = _postgres_copy(app.config["_SEEDED"], f"s{len(_kept)}")
            return cls(world, None, tables, sequences, copies)

    def restore(self, app):
        for key, copied in self.folders.items():
            shutil.copytree(copied, app.config[key], dirs_exist_ok=True)
        with app.app_context():
            if self.sqlite_file:
                replace_sqlite_file(app, self.sqlite_file)
            else:
                self._restore_postgres(app.config["_SEEDED"])
            return _reloaded(self.world)

    def _restore_postgres(self, seeded) -> None:
        """The copied rows back in the tables, in the order they were met (a scan without
        ORDER BY meets them so), every column as stored (the search tokens are a tsvector the
        models read as text)."""
        with db.engine.begin() as conn:
            conn.execute(postgres_reset.TRIGGERS_OFF)
            for table in db.metadata.sorted_tables:
                copied = self.tables.get(table.name)
                if copied is None:
                    continue
                if seeded.rows[table.name]:
                    conn.execute(table.delete())
                conn.execute(text(f"INSERT INTO {table.name} SELECT * FROM {copied} ORDER BY ctid"))
            for name, value in self.sequences.items():
                conn.execute(_SETVAL, {"name": name, "value": value})


def replace_sqlite_file(app, source: str) -> None:
    """The SQLite database file replaced by `source`, no connection left on the old one."""
    path = _sqlite_path(app)
    db.engine.dispose()
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    shutil.copy(source, path)


def _sqlite_path(app) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


def _postgres_copy(seeded, prefix: str) -> tuple[dict[str, str], dict[str, int]]:
    """Each table the world changed copied into the schema test_snapshots, and the sequences
    it moved."""
    with db.engine.begin() as conn:
        conn.execute(text("CREATE SCHEMA IF NOT EXISTS test_snapshots"))
        changed = set(conn.execute(text(seeded.changed_tables)).scalars())
        tables = {name: f"test_snapshots.{prefix}_{name}" for name in changed}
        for name, copied in tables.items():
            conn.execute(text(f"CREATE TABLE {copied} AS SELECT * FROM {name} ORDER BY ctid"))
        sequences = dict(conn.execute(text(
            "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences"
            " WHERE schemaname = current_schema() AND last_value IS NOT NULL")).all())
    return tables, sequences


def _reloaded(world):
    """A copy of `world` in which every record is loaded again from the database (one
    statement a model) and detached, as the factories hand them out."""
    wanted = defaultdict(set)
    _walk(world, lambda record: wanted[type(record)].add(record.id))
    fresh = {}
    for model, ids in wanted.items():
        for record in db.session.scalars(select(model).where(model.id.in_(ids))):
            fresh[(model, record.id)] = record
    db.session.expunge_all()
    return _walk(world, lambda record: fresh[(type(record), record.id)])


def _walk(value, swap):
    """`value` with each mapped record replaced by swap(record); containers and plain
    objects (the World, namespaces) copied, other values kept."""
    if _is_record(value):
        return swap(value)
    if isinstance(value, dict):
        return {key: _walk(item, swap) for key, item in value.items()}
    if isinstance(value, list | tuple):
        items = [_walk(item, swap) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    if (is_dataclass(value) and not isinstance(value, type)) or isinstance(
            value, SimpleNamespace):
        copied = copy.copy(value)
        for name, item in vars(value).items():
            setattr(copied, name, _walk(item, swap))
        return copied
    return value


def _is_record(value) -> bool:
    return hasattr(value, "_sa_instance_state") and not isinstance(value, type)
