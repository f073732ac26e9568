"""The SLA tests' people, customer and records with a status history (times are local; the
history's stamps are stored in UTC as the records service writes them)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app import jobs
from app.extensions import db
from app.models.service.records import (
    ServiceEvent,
    ServiceEventKind,
    ServiceRecord,
    ServiceStatus,
)
from app.services.service.sla import deadlines
from tests.factories.customers import make_customer
from tests.factories.people import make_team
from tests.factories.service import make_service_record
from tests.support import detached

S = ServiceStatus


@pytest.fixture
def team(app):
    """客服 staff and manager, the GM and the customer's salesperson."""
    return make_team(app, {"staff": "cs1", "manager": "cs_mgr", "gm": "gm", "seller": "sales1"})


@pytest.fixture
def customer(app, team):
    return make_customer(app, team.seller)


@pytest.fixture
def immediate_jobs():
    """Runs every job inside the request or commit that enqueues it."""
    jobs.huey.immediate = True
    yield
    jobs.huey.immediate = False


def stamp(app, local: datetime) -> datetime:
    """A local time as the naive UTC stamp ServiceEvent.at stores."""
    zone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    return local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def with_history(app, team, customer, moves=(), now: datetime | None = None, **fields
                 ) -> ServiceRecord:
    """A record registered at service_at, moved through `moves` ((local time, status), ...)
    and refreshed as the records service does after each change; returned detached."""
    record = make_service_record(app, team.staff, customer, **fields)
    with app.app_context():
        row = db.session.get(ServiceRecord, record.id)
        for at, status in moves:
            db.session.add(ServiceEvent(record_id=row.id, kind=ServiceEventKind.STATUS,
                                        user_id=team.staff.id, from_status=row.status,
                                        to_status=status, at=stamp(app, at)))
            row.status = status
        deadlines.refresh(row, now=now or datetime(2026, 3, 1))
        db.session.commit()
        return detached(row)


def stored(app, record_id: int) -> ServiceRecord:
    """The record as stored now."""
    with app.app_context():
        return detached(db.session.get(ServiceRecord, record_id))
