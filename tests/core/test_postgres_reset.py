"""The PostgreSQL leg puts its database back between tests (tests/postgres_reset.py) rather than
building a new one: every test must still meet the migrated database."""

import os

import pytest
from sqlalchemy import text

from app.extensions import db
from tests import postgres_reset
from tests.factories.people import make_people

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                                reason="the reset between tests of the PostgreSQL leg")


def _departments() -> list[tuple]:
    """The departments in the order a scan without ORDER BY meets them."""
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text("SELECT id, code, name FROM departments"))]


def test_a_reset_restores_changed_seed_rows_in_order_drops_added_rows_and_restarts_ids(app):
    """Rule: after a reset a changed migrated row is back as migrated, in its scan order; rows
    a test added are gone; ids start where a fresh database's would (1 in an emptied table,
    after the migrated rows in a filled one)."""
    with app.app_context():
        migrated = _departments()
        make_people(app, "sales1", "sales2")
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE departments SET name = 'changed' WHERE id = :id"),
                         {"id": migrated[0][0]})
        assert _departments() != migrated
        postgres_reset.reset(app.config["_SEEDED"])
        assert _departments() == migrated
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 0
            assert conn.execute(text("SELECT nextval(pg_get_serial_sequence('users', 'id'))")
                                ).scalar_one() == 1
            assert conn.execute(text("SELECT nextval(pg_get_serial_sequence('departments', "
                                     "'id'))")).scalar_one() == max(d[0] for d in migrated) + 1


def test_a_reset_after_a_test_that_wrote_nothing_changes_nothing(app):
    """Rule: a reset finds no table changed when nothing was written (a migrated table is
    compared by its fingerprint, not by whether it holds rows)."""
    with app.app_context(), db.engine.connect() as conn:
        changed = conn.execute(text(app.config["_SEEDED"].changed_tables)).scalars().all()
    assert changed == []
