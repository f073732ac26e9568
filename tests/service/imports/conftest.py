"""Jobs run inline for 客服部's import page tests (as in tests/sales/imports)."""

import pytest

from app import jobs


@pytest.fixture
def immediate_jobs():
    """Runs every job inside the request that enqueues it."""
    jobs.huey.immediate = True
    yield
    jobs.huey.immediate = False
