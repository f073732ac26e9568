"""Disposal's tests: jobs run inside the request that enqueues them."""

import pytest

from app import jobs


@pytest.fixture
def immediate_jobs():
    """Runs the execution job inside the request that countersigns."""
    jobs.huey.immediate = True
    yield
    jobs.huey.immediate = False
