"""What is measured: the customer list pages and searches, per signed-in user."""

from urllib.parse import urlencode

from flask import Flask
from sqlalchemy import func, select

from app import policy
from app.extensions import db
from app.models import Customer, User
from app.policy import Action
from app.services.core.pagination import _encode

LIST_URL = "/customers/"
# How far into the default order (newest first) the deep page starts.
DEEP_OFFSET = 100_000
SEARCHES = (("search 1 char", "华"), ("search 2 chars", "华信"), ("search 3 chars", "华信科"))


def _url(**params) -> str:
    """The customer list URL with these query parameters."""
    return f"{LIST_URL}?{urlencode(params)}" if params else LIST_URL


def deep_cursor(app: Flask, username: str) -> tuple[str, int]:
    """An `after=` cursor ~100k rows (at most half the user's scope) into the default order."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        scoped = policy.scope(select(Customer.id), user, Customer, Action.VIEW)
        total = db.session.scalar(select(func.count()).select_from(scoped.subquery()))
        offset = min(DEEP_OFFSET, total // 2)
        row_id = db.session.scalar(scoped.order_by(Customer.id.desc()).offset(offset).limit(1))
        db.session.remove()
    return _encode(row_id, row_id), offset


def cases(app: Flask, username: str) -> list[tuple[str, str]]:
    """(case name, URL) of every measured request for one user."""
    cursor, offset = deep_cursor(app, username)
    measured = [("list first page", _url()),
                (f"deep page (row {offset})", _url(after=cursor))]
    measured += [(f"{name} ({q})", _url(q=q)) for name, q in SEARCHES]
    measured.append(("directory first page (bonus)", _url(view="directory")))
    return measured
