"""The archive's tests: a storage root and a seal of their own, and a team whose signed
customer and contract are filed."""

import os

import pytest

from tests.factories.people import make_team

PG = bool(os.environ.get("TEST_DATABASE_URL"))


@pytest.fixture(scope="session")
def seal_dir(tmp_path_factory):
    """One generated seal for the session (generating a key per test costs nothing useful)."""
    return tmp_path_factory.mktemp("seal")


@pytest.fixture(autouse=True)
def archive_root(app, tmp_path, seal_dir, monkeypatch):
    """Each test files into a fresh root, sealed by the session's seal."""
    root = tmp_path / "archive"
    monkeypatch.setitem(app.config, "ARCHIVE_ROOT", str(root))
    monkeypatch.setitem(app.config, "ARCHIVE_SEAL_DIR", str(seal_dir))
    return root


@pytest.fixture
def team(app):
    """A salesperson, their manager, the GM and the archivist, named as on paper."""
    return make_team(app, {"staff": "sales1", "manager": "sales_mgr", "gm": "gm",
                           "archivist": "archivist"}, named=True)
