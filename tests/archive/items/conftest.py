"""The catalogue's tests: background jobs (batch printing) run inside the request that starts
them."""

import pytest

from app import jobs


@pytest.fixture(autouse=True)
def immediate_jobs():
    """Runs every job inside the request that enqueues it."""
    jobs.huey.immediate = True
    yield
    jobs.huey.immediate = False
