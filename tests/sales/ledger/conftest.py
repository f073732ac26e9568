"""The people most ledger tests work with (a module that needs others declares its own)."""

import pytest

from tests.factories.people import make_people


@pytest.fixture
def seller(app):
    """A salesperson, 李明."""
    return make_people(app, "seller", named=True)["seller"]


@pytest.fixture
def people(app):
    """Two salespeople (李明, 张丽) and their manager."""
    return make_people(app, "seller", "other", "boss", named=("seller", "other"))
