"""Putting the PostgreSQL test database back to its migrated state before each test (conftest).

The tables a test wrote are emptied, every used sequence restarted, then the migrations' rows
restored. DELETE of the few tables a test wrote costs ~25 ms; TRUNCATE of every table (~90,
each a new file) cost 0.2 s a test on a quiet machine, 1 s under load. Triggers (audit guards,
foreign keys) are off meanwhile. VACUUM then gives the emptied tables back their pages (an empty
table shrinks to none), so that rows go in as into a new table and a scan without ORDER BY meets
them in insertion order, as after TRUNCATE (slots freed mid-page and reused would shuffle them).

A table the migrations fill (departments, default flows, ~a dozen) is reset only when a test
changed it: its rows, read in scan order, no longer match the fingerprint taken after the
migrations. Deleting, vacuuming and refilling all of them took a third of every test's reset.
"""

from dataclasses import dataclass

from sqlalchemy import text

from app.extensions import db

# Within a transaction: no triggers (audit guards, foreign keys) while tables are emptied and
# refilled.
TRIGGERS_OFF = text("SET LOCAL session_replication_role = replica")
RESTART_SEQUENCES = text(
    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false)"
    " FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL")


def _fingerprint(table: str) -> str:
    """SQL: the table's rows as text in the order a scan meets them, hashed."""
    return (f"(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.ctid), ''))"
            f" FROM {table} AS t)")


@dataclass(frozen=True)
class Seeded:
    """What the migrations put in each table, and the two statements every reset runs: the
    names of the tables that differ from the migrated state (rows in a table the migrations
    leave empty, or a filled table whose fingerprint changed), and each filled table's id
    sequence set after its migrated rows (the restart of every used sequence sets them back
    to 1)."""

    rows: dict[str, list[dict]]
    changed_tables: str
    seeded_sequences: str

    @classmethod
    def read(cls) -> "Seeded":
        tables = db.metadata.sorted_tables
        with db.engine.connect() as conn:
            rows = {table.name: [dict(row._mapping) for row in conn.execute(table.select())]
                    for table in tables}
            prints = {name: conn.execute(text(f"SELECT {_fingerprint(name)}")).scalar_one()
                      for name, found in rows.items() if found}
        changed = " UNION ALL ".join(
            f"SELECT '{name}' WHERE {_fingerprint(name)} <> '{prints[name]}'" if name in prints
            else f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})" for name in rows)
        sequences = "SELECT " + ", ".join(
            f"setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"{max(row['id'] for row in rows[table.name])})"
            for table in tables if rows[table.name] and "id" in table.c)
        return cls(rows, changed, sequences)


def reset(seeded: Seeded) -> None:
    """Back to the migrated state (see the module's docstring)."""
    tables = db.metadata.sorted_tables
    with db.engine.begin() as conn:
        conn.execute(TRIGGERS_OFF)
        changed = sorted(conn.execute(text(seeded.changed_tables)).scalars())
        for table in tables:
            if table.name in changed:
                conn.execute(table.delete())
        conn.execute(RESTART_SEQUENCES)
        conn.execute(text(seeded.seeded_sequences))
    if not changed:
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"VACUUM {', '.join(changed)}"))
    with db.engine.begin() as conn:
        conn.execute(TRIGGERS_OFF)
        for table in tables:
            if table.name in changed and seeded.rows[table.name]:
                conn.execute(table.insert(), seeded.rows[table.name])
