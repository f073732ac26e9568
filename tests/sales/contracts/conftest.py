"""The team every contract test works with."""

import pytest

from tests.factories.people import make_team


@pytest.fixture
def team(app):
    """Two salespeople, their manager, the GM and a 客服 colleague (gets change notices when
    chosen, sees no contract), named as on paper."""
    return make_team(app, {"staff": "sales1", "staff2": "sales2", "manager": "sales_mgr",
                           "gm": "gm", "service": "cs1"}, named=True)
