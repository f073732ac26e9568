"""The team every approval test works with."""

import pytest

from tests.factories.people import make_team


@pytest.fixture
def team(app):
    """A salesperson and a colleague, their manager, the GM and another department's manager."""
    return make_team(app, {"staff": "sales1", "staff2": "sales2", "manager": "sales_mgr",
                           "gm": "gm", "outsider": "cs_mgr"})
