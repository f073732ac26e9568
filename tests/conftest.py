"""Test fixtures: one app per session on SQLite (default) or PostgreSQL (TEST_DATABASE_URL).

The schema is built by the real migrations once per session; every test starts from that
migrated state (SQLite: a copy of the migrated file; PostgreSQL: written tables emptied).
"""

import os
import re
import shutil
import uuid

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import TestConfig
from app.extensions import db, limiter
from app.services.core import viewer_statements
from tests import postgres_reset
from tests.factories import snapshots
from tests.queries import TemplateQueries
from tests.support import PASSWORD, form_token

PG_SERVER_URL = os.environ.get("TEST_DATABASE_URL")
_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


TEMPLATE_QUERIES = TemplateQueries()


def pytest_configure(config):
    config.addinivalue_line("markers", "template_queries: the test makes a template query on "
                            "purpose (the check of tests/queries.py itself)")
    TEMPLATE_QUERIES.install()
    snapshots.install()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fails the test during which a template sent a query (templates never query)."""
    TEMPLATE_QUERIES.reset()
    result = yield
    if TEMPLATE_QUERIES.found and not item.get_closest_marker("template_queries"):
        pytest.fail(TEMPLATE_QUERIES.report(), pytrace=False)
    return result


def pytest_report_header(config):
    backend = f"PostgreSQL ({make_url(PG_SERVER_URL).host})" if PG_SERVER_URL else "SQLite"
    return f"taizhang test database: {backend}"


class Client(FlaskClient):
    """A test client that signs in and sends the CSRF token like the browser does."""

    def login(self, username: str, password: str = PASSWORD):
        # A fresh browser: signing out takes a POST now, and most tests switch users this way.
        self.delete_cookie(self.application.config["SESSION_COOKIE_NAME"])
        return self.post_form("/login", {"username": username, "password": password},
                              token_from="/login")

    def csrf_token(self, url: str = "/login") -> str:
        match = _CSRF.search(self.get(url).get_data(as_text=True))
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def post_form(self, url: str, data: dict, token_from: str | None = None, **kwargs):
        token = self.csrf_token(token_from or "/")
        once = {"once_token": form_token(self)} if "once_token" not in data else {}
        return self.post(url, data={**data, **once, "csrf_token": token}, **kwargs)

    def htmx(self, method: str, url: str, **kwargs):
        headers = {"HX-Request": "true", **kwargs.pop("headers", {})}
        return self.open(url, method=method, headers=headers, **kwargs)


def _worker_suffix() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh database for this run (and this xdist worker)."""
    if not PG_SERVER_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'taizhang.db'}"
        return
    name = f"taizhang_test_{_worker_suffix()}_{uuid.uuid4().hex[:8]}"
    server = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # A commit need not wait for the disk: the tests never crash the server, and every
        # commit (a request's, each reset's) otherwise waits ~0.1-0.2 ms more for its flush.
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    yield make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url,
                     SECRET_KEY="test-secret")
    app.test_client_class = Client
    with app.app_context():
        upgrade(directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
        db.engine.dispose()
    app.config["_SNAPSHOT_DIR"] = str(tmp_path_factory.mktemp("worlds"))
    if database_url.startswith("sqlite"):
        path = make_url(database_url).database
        app.config["_TEMPLATE_DB"] = str(tmp_path_factory.mktemp("template") / "migrated.db")
        shutil.copy(path, app.config["_TEMPLATE_DB"])
    else:
        with app.app_context():
            app.config["_SEEDED"] = postgres_reset.Seeded.read()
    return app


@pytest.fixture(autouse=True)
def clean_db(app):
    """Each test starts from the freshly migrated database, with rate limits reset and
    nothing kept from another test: neither a statement built under its settings nor rows kept
    under a data version, which the fresh database starts again from 0."""
    with app.app_context():
        viewer_statements.forget_all()
        snapshots.reset_database(app)
        limiter.reset()
    snapshots.reset_done()
    yield


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def app_ctx(app):
    """An application context for tests that call services directly (not with `client`)."""
    with app.app_context():
        yield


