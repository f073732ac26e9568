"""DDL for a table's search index, used by migrations (see app/services/search.py).

SQLite: an FTS5 external-content table `<table>_fts` over `search_text`, kept in step by
triggers. PostgreSQL: `search_text` becomes a tsvector with a GIN index.
"""

from alembic import op


def create_search_index(table: str, column: str = "search_text") -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE tsvector "
                   f"USING array_to_tsvector(regexp_split_to_array(coalesce({column}, ''), ' '))")
        op.execute(f"CREATE INDEX ix_{table}_{column} ON {table} USING gin ({column})")
        return
    fts = f"{table}_fts"
    op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', "
               f"content_rowid='id', tokenize='unicode61 remove_diacritics 0')")
    op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
               f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END")
    op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});"
               f" END")
    op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});"
               f" INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END")
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def drop_search_index(table: str, column: str = "search_text") -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX ix_{table}_{column}")
        return
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER {table}_fts_{suffix}")
    op.execute(f"DROP TABLE {table}_fts")
