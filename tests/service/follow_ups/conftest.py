"""The 客服 team every follow-up test works with, customers of each grade, and a helper that
adds follow-ups through the service."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.models import User
from app.models.customers import Grade
from app.models.service.follow_ups import FollowUpResult
from app.models.service.records import ServiceRecord, ServiceStatus
from app.services.service.follow_ups import operations
from app.timeutil import local_now
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.service import make_service_record


@pytest.fixture
def team(app):
    """cs1 handles the records, cs2 is a colleague, cs_mgr their manager; sales1 owns the
    customers (A, B and C grade)."""
    people = make_people(app, "cs1", "cs2", "cs_mgr", "sales1", "gm", named=True)
    customers = {grade: make_customer(app, people["sales1"], grade=grade)
                 for grade in (Grade.A, Grade.B, Grade.C)}
    return SimpleNamespace(**people, customers=customers)


@pytest.fixture
def record_of(app, team):
    """A record of the customer of `grade`, handled by cs1 (处理中), with `fields` overriding."""

    def make(grade: Grade = Grade.B, **fields) -> ServiceRecord:
        values = dict(handler_id=team.cs1.id, status=ServiceStatus.PROCESSING)
        values.update(fields)
        return make_service_record(app, team.cs1, team.customers[grade], **values)
    return make


def minutes_ago(minutes: int) -> datetime:
    """A local time that many minutes before now, to the minute."""
    return local_now().replace(tzinfo=None, second=0, microsecond=0) - timedelta(minutes=minutes)


def add(record_id: int, by: User, communicated_at: datetime | None = None,
        result: FollowUpResult = FollowUpResult.UNRESOLVED, points: str = "电话沟通检修进度"):
    """Adds a follow-up through the service and commits; returns it (in the session)."""
    record = db.session.get(ServiceRecord, record_id)
    data = operations.FollowUpData(communicated_at=communicated_at or minutes_ago(10),
                                   points=points, result=result)
    follow_up = operations.add_follow_up(record, data, db.session.get(User, by.id))
    db.session.commit()
    return follow_up
