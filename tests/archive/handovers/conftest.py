"""The handover tests run the filing job in Huey's immediate mode: a job runs inside the request
that enqueues it (as TAIZHANG_JOBS_IMMEDIATE=1 does), so a test sees its outcome at once."""

import pytest

from app import jobs


@pytest.fixture(autouse=True)
def immediate_jobs():
    jobs.huey.immediate = True
    yield
    jobs.huey.immediate = False
