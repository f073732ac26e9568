"""Jobs run inline for the Excel import tests.

Jobs run in Huey's immediate mode, switched on by the `immediate_jobs` fixture of these tests
(not by an environment variable): tests/conftest.py is shared, and an env var would have to be
set by whoever starts pytest. In immediate mode the job runs inside the request that starts it,
in that request's app context, against the test database.
"""

import pytest

from app import jobs


@pytest.fixture
def immediate_jobs():
    """Runs every job inside the request that enqueues it."""
    jobs.huey.immediate = True
    yield
    jobs.huey.immediate = False
