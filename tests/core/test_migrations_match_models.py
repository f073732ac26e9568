"""The migrations build exactly the schema the models declare: alembic's autogenerate finds no
table, column, index or constraint that one has and the other lacks (a model changed without
its migration, or a migration the models do not know). Checked on the test database, which the
session built by running every migration. The full-text search parts the migrations make
have no model, by design: SQLite's tables customers_fts…, contracts_fts…, and PostgreSQL's
search_text columns' GIN indexes."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def _not_full_text(name, type_, parent_names) -> bool:
    return not ((type_ == "table" and "_fts" in name)
                or (type_ == "index" and name.endswith("_search_text")))


def test_migrated_schema_matches_the_models(app_ctx):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False,
                                                         "include_name": _not_full_text})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
