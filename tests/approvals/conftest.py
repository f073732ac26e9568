"""The team every approval test works with."""

from dataclasses import dataclass

import pytest

from app.models import DeptCode, Level, Role
from tests.factories import make_user


@dataclass
class Team:
    staff: object
    staff2: object
    manager: object
    gm: object
    outsider: object


@pytest.fixture
def team(app) -> Team:
    return Team(
        staff=make_user(app, "sales1"),
        staff2=make_user(app, "sales2"),
        manager=make_user(app, "sales_mgr", role=Role.MANAGER, clearance=Level.SECRET),
        gm=make_user(app, "gm", role=Role.GM, dept=DeptCode.MANAGEMENT,
                     clearance=Level.CONFIDENTIAL),
        outsider=make_user(app, "cs_mgr", role=Role.MANAGER, dept=DeptCode.SERVICE,
                           clearance=Level.SECRET),
    )
