"""Browser tests: headless Chromium (Debian's, never a downloaded one) against a live server.

The live server is the real app (create_app with TestConfig) on a SQLite file of its own,
built by the real migrations, served by werkzeug in a background thread on 127.0.0.1 and a
free port for the whole session. It does not use the session `app` fixture of tests/conftest.py:
that fixture's autouse `clean_db` replaces the database file before every test, which must not
happen under a server that is answering requests from another thread (and would build that
second app and database for nothing). So `clean_db` is overridden below by a fixture of the same
name that leaves the database alone, and browser tests share one database for the session: each
test creates data under names of its own and must not count on an empty table.

Each test gets a fresh browser context (no cookies, no storage) and page; when a test fails, a
full-page screenshot goes to test-artifacts/ (git-ignored).
"""

import os
import re
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.config import TestConfig
from app.extensions import db, limiter
from tests.factories.people import make_people

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the background-networking switches Chromium dials out at start-up, and this closed
# network refuses the connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 10_000  # for every action and expect(): generous, never a fixed sleep
expect.set_options(timeout=TIMEOUT_MS)

# Users every browser test can sign in as (password tests.support.PASSWORD).
USERS = ("b_sales", "b_mgr")


@pytest.fixture(autouse=True)
def clean_db(live_server):
    """Overrides tests/conftest.py's `clean_db`, which resets the session `app`'s database.

    The browser leg never builds that app: its server runs on an app and a database of its own
    (see `live_server`), which cannot be swapped under a running server. Only the rate limits
    (a login per test adds up) are reset between tests.
    """
    with live_server.app.app_context():
        limiter.reset()
    yield


class LiveServer:
    """The running app, its base URL and the seeded users (detached, by username)."""

    def __init__(self, app, url: str, users: dict):
        self.app = app
        self.url = url
        self.users = users


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app, migrated and seeded, served on 127.0.0.1:<free port> for the session."""
    database = tmp_path_factory.mktemp("browser-db") / "taizhang.db"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
                     SECRET_KEY="browser-test-secret")
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.engine.dispose()
    users = make_people(app, *USERS, named=True)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", users)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    """A page in a fresh context (1400x900, zh-CN); screenshot to test-artifacts/ on failure."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                  viewport={"width": 1400, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as error:  # a screenshot must not hide the failure
            print(f"no screenshot for {request.node.nodeid}: {error}")
    context.close()


@pytest.fixture
def page_errors(page) -> list[str]:
    """Uncaught JavaScript errors and console errors on `page` (a CSP refusal, htmx or
    Bootstrap failing, ...); failed resource loads are left to the test's own expectations."""
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", on_console)
    return errors


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the item (rep_setup, rep_call) for the `page` fixture."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
