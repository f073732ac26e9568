"""Teams of people the tests of one domain work with, as fixtures."""

from dataclasses import dataclass

import pytest

from app.models import DeptCode, Level, Role, User
from tests.factories import make_user


@dataclass
class PrintTeam:
    staff: User
    manager: User
    outsider: User  # another department: sees the basic card only


@pytest.fixture(name="team")
def print_team(app) -> PrintTeam:
    """A salesperson, their manager and a 客服 colleague, all cleared for 机密 and named, so
    prints carry their names and employee numbers."""
    return PrintTeam(
        staff=make_user(app, "sales1", full_name="李晓明", employee_no="S1001",
                        clearance=Level.CONFIDENTIAL),
        manager=make_user(app, "sales_mgr", role=Role.MANAGER, full_name="王建国",
                          employee_no="M2001", clearance=Level.CONFIDENTIAL),
        outsider=make_user(app, "cs1", dept=DeptCode.SERVICE, full_name="赵客服",
                           employee_no="C3001", clearance=Level.CONFIDENTIAL))
