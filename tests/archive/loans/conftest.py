"""The loans' tests: the people who borrow, approve and execute, and a clock to move."""

from datetime import timedelta

import pytest

from app.models.base import utcnow
from app.policy.archive import loans as loan_policy
from tests.factories.people import make_people


@pytest.fixture
def people(app) -> dict:
    """Salespeople and 客服 staff with their managers, the GM and the archivist, by username,
    named as on paper (watermarks name them)."""
    return make_people(app, "sales1", "sales_mgr", "cs1", "cs_mgr", "gm", "archivist",
                       named=True)


@pytest.fixture
def clock(monkeypatch):
    """Moves the loans' clock (policy.archive.loans.now, which every decision by time reads):
    clock(days=8) is eight days from now."""
    start = utcnow()

    def move(**delta) -> None:
        monkeypatch.setattr(loan_policy, "utcnow", lambda: start + timedelta(**delta))

    return move
