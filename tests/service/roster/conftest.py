"""The duty roster's tests: duties planned through the roster service."""

from datetime import date

import pytest

from app.extensions import db
from app.models import User
from app.services.service.roster import operations
from tests.support import detached


def make_duty(app, planner, person, day: date, **fill):
    """A duty of `person` on `day`, planned by `planner` (the 客服 manager)."""
    with app.app_context():
        shift = operations.create_shift(operations.DutyPlan(
            day, person.id, operations.DutyFill(**fill)), db.session.get(User, planner.id))
        db.session.commit()
        return detached(shift)


@pytest.fixture
def duty(app):
    return lambda planner, person, day, **fill: make_duty(app, planner, person, day, **fill)
