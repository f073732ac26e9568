"""What tests share besides fixtures and factories: the test password, the backend, numbers,
dates and rows read back, PDF and Excel reading, signing in a browser (tests never import
conftest)."""

import io
import itertools
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Notification
from app.services.core import once
from app.timeutil import local_now, local_today

PASSWORD = "Secret-123"

_serial = itertools.count(1)


@contextmanager
def in_app(app):
    with app.app_context():
        yield
        db.session.remove()


def is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def form_token(client) -> str:
    """The one-time token a form page gives the client's signed-in user, as a browser sends
    it back with the form (blueprints/_once.py); empty when nobody is signed in."""
    with client.session_transaction() as cookie:
        signed_in = cookie.get("_user_id")
    if not signed_in:
        return ""
    with client.application.app_context():
        return once.issue(int(signed_in.split(".")[0]))


def serial() -> int:
    """The next number of this run: unique names, phones and employee numbers."""
    return next(_serial)


def D(value) -> Decimal:  # noqa: N802 (reads like a literal)
    return Decimal(str(value))


def today(app) -> date:
    """Today in the company's time zone (what the application calls today)."""
    with app.app_context():
        return local_today()


def now(app) -> datetime:
    """The local time now, naive, to the minute."""
    with app.app_context():
        return local_now().replace(tzinfo=None, second=0, microsecond=0)


def detached(obj):
    """A row reloaded and taken out of the session, for reading after it is closed."""
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


def fetch(app, model, record_id: int):
    with app.app_context():
        obj = db.session.get(model, record_id)
        return detached(obj) if obj is not None else None


def owners_of(app, model, ids) -> list[int]:
    """The owner_id of each row of `model` with these ids, in the given order."""
    with app.app_context():
        return [db.session.get(model, row_id).owner_id for row_id in ids]


def notices(app, user) -> list[str]:
    """The kinds of the user's notices, oldest first."""
    with app.app_context():
        return list(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == user.id).order_by(Notification.id)))


def pdf_reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:200]
    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """All pages' text, as a reader's copy and paste would give it."""
    return "\n".join(page.extract_text() for page in pdf_reader(data).pages)


def sheet(response) -> list[tuple]:
    """The rows of a downloaded workbook's first sheet."""
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    return [tuple(row) for row in book.active.iter_rows(values_only=True)]


def sign_in(page: Page, username: str) -> None:
    """Signs in through the login form and waits for the dashboard."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
