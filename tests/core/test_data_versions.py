"""Data versions: every committed write to a watched table moves its set's version on by one
(the ORM's flush and a service's UPDATE statement alike); a rollback, a read, or a write to
another table does not; a transaction that has written the set has no version to keep
results under."""

import os
import threading

import pytest
from sqlalchemy import insert, select, update

from app.extensions import db
from app.models.data_versions import DataVersion
from app.models.numbering import NumberCounter
from app.services.core import data_versions
from tests.queries import counted

NAME = "numbers"
PG = bool(os.environ.get("TEST_DATABASE_URL"))


@pytest.fixture
def watched(app, monkeypatch):
    """The number counters watched as the set "numbers" (its row at version 0)."""
    monkeypatch.setattr(data_versions, "_WATCHED", {})
    data_versions.watch(NAME, NumberCounter.__table__)
    with app.app_context():
        db.session.add(DataVersion(name=NAME, version=0))
        db.session.commit()


def _version(app) -> int:
    with app.app_context():
        return db.session.scalar(select(DataVersion.version).where(DataVersion.name == NAME))


def test_a_committed_orm_write_moves_the_version_on_once(app, watched):
    with app.app_context():
        db.session.add(NumberCounter(key="a", value=1))
        db.session.flush()
        db.session.add(NumberCounter(key="b", value=1))  # a second write, the same commit
        db.session.commit()
    assert _version(app) == 1


def test_an_update_statement_moves_it_on_too(app, watched):
    with app.app_context():
        db.session.execute(insert(NumberCounter).values(key="a", value=1))
        db.session.commit()
        db.session.execute(update(NumberCounter).values(value=NumberCounter.value + 1))
        db.session.commit()
    assert _version(app) == 2


def test_a_rollback_a_read_or_another_table_leaves_it(app, watched):
    with app.app_context():
        db.session.add(NumberCounter(key="a", value=1))
        db.session.flush()
        db.session.rollback()
        db.session.scalars(select(NumberCounter)).all()
        db.session.commit()
        db.session.execute(update(DataVersion).where(DataVersion.name == "receivables")
                           .values(version=DataVersion.version))
        db.session.commit()
    assert _version(app) == 0


def test_a_transaction_that_wrote_the_set_has_no_version_until_it_commits(app, watched):
    with app.app_context():
        assert data_versions.version(NAME) == 0
        db.session.add(NumberCounter(key="a", value=1))  # pending: version() flushes it
        assert data_versions.version(NAME) is None
        db.session.commit()
        assert data_versions.version(NAME) == 1


def test_a_table_in_two_sets_moves_both_on(app, watched):
    data_versions.watch("numbers-too", NumberCounter.__table__)
    with app.app_context():
        db.session.add(DataVersion(name="numbers-too", version=0))
        db.session.commit()
        db.session.add(NumberCounter(key="a", value=1))
        db.session.commit()
        assert data_versions.version(NAME) == data_versions.version("numbers-too") == 1


def test_a_transaction_reads_a_version_once_and_the_next_reads_it_anew(app, watched):
    with app.app_context():
        with counted() as counter:
            assert data_versions.version(NAME) == data_versions.version(NAME) == 0
        assert sum("data_versions" in s for s in counter.statements) == 1
        db.session.commit()
        db.session.execute(update(DataVersion).where(DataVersion.name == NAME)
                           .values(version=7))  # as another process's commit would
        db.session.commit()
        assert data_versions.version(NAME) == 7


def test_a_set_without_its_row_has_no_version(app):
    with app.app_context():
        assert data_versions.version("never-migrated") is None


@pytest.mark.skipif(not PG, reason="concurrent writers' row locks: PostgreSQL")
def test_concurrent_writers_each_move_it_on_and_neither_waits_forever(app, watched):
    """Two transactions, each holding the row it wrote, commit at once: the version row is
    locked only by a committing transaction (its last statement), so neither deadlocks and
    both commits count."""
    both_written, errors = threading.Barrier(2, timeout=30), []

    def writer(key: str) -> None:
        with app.app_context():
            try:
                db.session.add(NumberCounter(key=key, value=1))
                db.session.flush()
                both_written.wait()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 (collected and reported below)
                errors.append(error)
            db.session.remove()

    threads = [threading.Thread(target=writer, args=(key,)) for key in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and _version(app) == 2
