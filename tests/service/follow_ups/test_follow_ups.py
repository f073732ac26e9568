"""Adding follow-ups (issue 12 req. 2, seeds a5): 补录 after one hour, the next due date by
grade and priority, 客户放弃 and 已关闭 stop follow-ups."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.customers import Grade
from app.models.service.follow_ups import FollowUpResult, ServiceFollowUp
from app.models.service.records import Priority, ServiceRecord, ServiceStatus
from app.services.service.follow_ups import operations, schedule
from app.services.service.follow_ups.operations import is_late
from app.timeutil import local_zone
from tests.service.follow_ups.conftest import add, minutes_ago


def _utc_stamp(local: datetime) -> datetime:
    """The naive UTC stamp of a local time (as entered_at is stored)."""
    return local.replace(tzinfo=local_zone()).astimezone(UTC).replace(tzinfo=None)


def test_late_is_more_than_one_hour_after_the_communication(app_ctx):
    """补录: entered exactly one hour after the communication is on time; a second later is
    late (004 L200)."""
    said = datetime(2026, 3, 2, 9, 0)
    assert not is_late(said, _utc_stamp(said + timedelta(hours=1)))
    assert is_late(said, _utc_stamp(said + timedelta(hours=1, seconds=1)))


def test_a_late_follow_up_is_saved_and_marked(app_ctx, team, record_of):
    """A follow-up entered two hours after the call is saved (never refused) and marked 补录;
    one entered ten minutes after is not."""
    record = record_of()
    late = add(record.id, team.cs1, minutes_ago(120))
    prompt = add(record.id, team.cs1, minutes_ago(10))
    assert (late.late, prompt.late) == (True, False)
    assert db.session.scalar(select(func.count()).select_from(ServiceFollowUp)) == 2


@pytest.mark.parametrize(("grade", "priority", "days"), [
    (Grade.A, Priority.MEDIUM, 7), (Grade.B, Priority.MEDIUM, 14), (Grade.C, Priority.LOW, 30),
    (Grade.C, Priority.HIGH, 7), (Grade.B, Priority.HIGH, 7), (Grade.A, Priority.HIGH, 7)])
def test_next_due_is_the_last_follow_up_plus_the_cadence(app_ctx, team, record_of, grade,
                                                         priority, days):
    """Next due = last follow-up + the interval of the customer's grade (A 7, B 14, C 30);
    priority 高 uses A's interval whatever the grade. Stored on the record."""
    record = record_of(grade, priority=priority)
    said = minutes_ago(30)
    add(record.id, team.cs1, said)
    assert db.session.get(ServiceRecord, record.id).next_follow_up_due == said + timedelta(
        days=days)


def test_before_any_follow_up_the_service_time_counts(app_ctx, team, record_of):
    """Without follow-ups the next due date runs from the record's 服务时间 (what the record
    service calls on creation and assignment)."""
    record = db.session.get(ServiceRecord, record_of(Grade.A).id)
    assert schedule.refresh_next_due(record) == record.service_at + timedelta(days=7)


def test_the_latest_communication_counts_not_the_latest_entry(app_ctx, team, record_of):
    """A follow-up entered late about an older call does not move the due date back."""
    record = record_of(Grade.B)
    recent = minutes_ago(30)
    add(record.id, team.cs1, recent)
    add(record.id, team.cs1, minutes_ago(60 * 24 * 3))
    assert db.session.get(ServiceRecord, record.id).next_follow_up_due == recent + timedelta(
        days=14)


def test_customer_gave_up_stops_follow_ups(app_ctx, team, record_of):
    """客户放弃 marks the record abandoned, clears its next due date, and refuses any further
    follow-up (nothing saved)."""
    record = record_of()
    add(record.id, team.cs1, result=FollowUpResult.ABANDONED)
    row = db.session.get(ServiceRecord, record.id)
    assert row.abandoned is True and row.next_follow_up_due is None
    with pytest.raises(operations.Refused, match="客户已放弃"):
        add(record.id, team.cs1)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ServiceFollowUp)) == 1


def test_a_closed_record_refuses_follow_ups(app_ctx, team, record_of):
    """已关闭 records take no follow-up and have no next due date."""
    record = record_of(status=ServiceStatus.CLOSED)
    with pytest.raises(operations.Refused, match="已关闭"):
        add(record.id, team.cs1)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ServiceFollowUp)) == 0
    assert schedule.refresh_next_due(db.session.get(ServiceRecord, record.id)) is None


def test_a_done_record_is_still_followed_up(app_ctx, team, record_of):
    """已完成 is not the end: follow-ups go on until the customer confirms and it is closed
    (L206)."""
    record = record_of(status=ServiceStatus.DONE)
    add(record.id, team.cs1)
    assert db.session.get(ServiceRecord, record.id).next_follow_up_due is not None


def test_the_service_refuses_a_future_time_and_empty_points(app_ctx, team, record_of):
    """Without the form, the service itself refuses a communication in the future and empty
    沟通要点, naming the field."""
    record = record_of()
    with pytest.raises(operations.Refused) as future:
        add(record.id, team.cs1, minutes_ago(-5))
    db.session.rollback()
    with pytest.raises(operations.Refused) as empty:
        add(record.id, team.cs1, points="   ")
    assert (future.value.field, empty.value.field) == ("communicated_at", "points")
