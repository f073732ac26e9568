"""Worlds reused between tests (tests/factories/snapshots.py): a restored world is the world the
factories built, row for row and record for record, searchable as built, with its files; a world
asked for after another write is built by the factories again."""

from sqlalchemy import select

from app.extensions import db
from tests.factories import snapshots
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.sales import make_contract
from tests.factories.world import build_world
from tests.support import in_app


def _rows(app) -> dict[str, list]:
    with in_app(app):
        return {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
                for table in db.metadata.sorted_tables}


def _back_to_migrated(app) -> None:
    with app.app_context():
        snapshots.reset_database(app)
    snapshots.reset_done()


def test_a_restored_world_has_the_rows_and_records_the_factories_built(app, client):
    @snapshots.reused
    def world(app):
        built = build_world(app)
        built.contract = make_contract(app, built.customers["P"])
        return built

    built, rows = world(app), _rows(app)
    _back_to_migrated(app)
    restored = world(app)
    assert _rows(app) == rows
    assert restored.contract.id == built.contract.id
    assert restored.contract is not built.contract  # loaded again: a test may change its own
    assert {name: user.id for name, user in restored.users.items()} == {
        name: user.id for name, user in built.users.items()}
    assert restored.customers["P"].name == built.customers["P"].name
    # The search tokens came back too (on PostgreSQL a tsvector the models read as text).
    client.login("gm")
    assert "矩阵P级客户有限公司" in client.get("/customers/?q=矩阵P").get_data(as_text=True)
    # New records follow the world's: its sequences and numbers moved with it.
    added = make_customer(app, restored.users["sales1"])
    assert added.id > max(customer.id for customer in restored.customers.values())


def test_a_world_asked_for_after_another_write_is_built_by_the_factories(app):
    builds = []

    @snapshots.reused
    def world(app):
        builds.append(1)
        return build_world(app)

    world(app)
    _back_to_migrated(app)
    make_people(app, "sales3")
    world(app)
    assert len(builds) == 2
    _back_to_migrated(app)
    world(app)
    assert len(builds) == 2


def test_a_restored_world_has_its_files_under_the_folder_the_new_test_names(app, tmp_path,
                                                                            monkeypatch):
    @snapshots.reused(folders=("WORLD_FILES",))
    def world(app):
        (tmp_path / "first" / "a").mkdir(parents=True)
        (tmp_path / "first" / "a" / "copy.pdf").write_bytes(b"%PDF-1.7 filed")
        return build_world(app)

    monkeypatch.setitem(app.config, "WORLD_FILES", str(tmp_path / "first"))
    world(app)
    _back_to_migrated(app)
    monkeypatch.setitem(app.config, "WORLD_FILES", str(tmp_path / "second"))
    world(app)
    assert (tmp_path / "second" / "a" / "copy.pdf").read_bytes() == b"%PDF-1.7 filed"
