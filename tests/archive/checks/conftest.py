"""The four-property check's tests: jobs run in Huey's immediate mode (inside the request that
starts them), and helpers to tamper with a filed copy or its catalogue row."""

import pytest

from app import jobs


@pytest.fixture(autouse=True)
def immediate_jobs():
    jobs.huey.immediate = True
    yield
    jobs.huey.immediate = False
