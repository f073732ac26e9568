"""The team and customer every service record test works with."""

import pytest

from app.models import Level
from tests.factories.customers import make_customer
from tests.factories.people import make_team


@pytest.fixture
def team(app):
    """客服 staff (cs1, cs2) and manager, a salesperson who owns the customer, another one, a
    risk officer (another department: registers under 首问负责制), the GM."""
    return make_team(app, {"cs1": "cs1", "cs2": "cs2", "cs_mgr": "cs_mgr", "seller": "sales1",
                           "other": "sales2", "risk": "risk1", "gm": "gm"}, named=True)


@pytest.fixture
def customer(app, team):
    """An internal customer of sales1's."""
    return make_customer(app, team.seller, name="华信科技有限公司", phone="13812345678",
                         address="北京市海淀区中关村大街1号", confidentiality=Level.INTERNAL)
