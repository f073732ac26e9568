"""deadlines.refresh on the real working calendar (08:30–12:00, 13:30–17:30, statutory
holidays and 调休 from chinese-calendar) and the 7×24 one: what is stored on the record."""

from datetime import datetime

from app.models.service.records import Priority
from tests.service.sla.conftest import S, with_history


def test_response_due_skips_the_lunch_break(app, team, customer):
    """Rule: the 2-hour response runs on working time: from 11:00, one hour before lunch and
    one after 13:30, so 14:30 (not 13:00)."""
    record = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 11, 0))
    assert record.response_due == datetime(2026, 3, 2, 14, 30)
    assert record.sla_policy_id is not None and record.sla_computed_at is not None


def test_a_make_up_saturday_is_a_working_day(app, team, customer):
    """Rule: 调休 Saturday 2026-05-09 is a working day: from Friday 16:30 the clock goes on on
    Saturday morning; an ordinary Saturday (2026-03-07) waits for Monday."""
    make_up = with_history(app, team, customer, service_at=datetime(2026, 5, 8, 16, 30))
    ordinary = with_history(app, team, customer, service_at=datetime(2026, 3, 6, 16, 30))
    assert make_up.response_due == datetime(2026, 5, 9, 9, 30)
    assert ordinary.response_due == datetime(2026, 3, 9, 9, 30)


def test_resolution_target_when_no_expected_time(app, team, customer):
    """Rule: without 客户期望解决时间 the policy's target applies (medium: 3 working days of
    7.5 h = 1350 min): from Wednesday 2026-04-29 09:00 over the 五一 holiday (5/1–5/5) to
    Thursday 5/7 09:00."""
    record = with_history(app, team, customer, service_at=datetime(2026, 4, 29, 9, 0),
                          priority=Priority.MEDIUM)
    assert record.resolution_due == datetime(2026, 5, 7, 9, 0)


def test_expected_time_wins_and_is_never_before_the_start(app, team, customer):
    """Rule: the customer's expected time is the resolution due as given (even outside working
    hours); one before the start is the start."""
    given = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, 0),
                         expected_at=datetime(2026, 3, 5, 20, 0))
    early = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, 0),
                         expected_at=datetime(2026, 3, 1, 9, 0))
    assert given.resolution_due == datetime(2026, 3, 5, 20, 0)
    assert early.resolution_due == datetime(2026, 3, 2, 9, 0)


def test_a_pause_across_a_holiday_adds_only_its_working_time(app, team, customer):
    """Rule: 等待配件 stops the clock; paused from 4/30 16:00 to 5/6 10:00 across 五一, the
    pause covered 90 + 90 working minutes, so the due moves from 5/7 09:00 by 3 h to 12:00."""
    record = with_history(app, team, customer, service_at=datetime(2026, 4, 29, 9, 0),
                          priority=Priority.MEDIUM, moves=[
                              (datetime(2026, 4, 29, 9, 20), S.PROCESSING),
                              (datetime(2026, 4, 30, 16, 0), S.WAITING_PARTS),
                              (datetime(2026, 5, 6, 10, 0), S.PROCESSING)])
    assert record.responded_at == datetime(2026, 4, 29, 9, 20)
    assert record.resolution_due == datetime(2026, 5, 7, 12, 0)


def test_a_pause_after_the_due_extends_nothing(app, team, customer):
    """Rule: a stop that begins after the due time does not move it (a breach stays)."""
    record = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, 0),
                          priority=Priority.HIGH, now=datetime(2026, 3, 4, 12, 0), moves=[
                              (datetime(2026, 3, 2, 9, 30), S.PROCESSING),
                              (datetime(2026, 3, 3, 10, 0), S.WAITING_CUSTOMER),
                              (datetime(2026, 3, 4, 10, 0), S.PROCESSING)])
    assert record.resolution_due == datetime(2026, 3, 3, 9, 0)
    assert record.resolution_breached


def test_a_reopened_record_resumes_its_clock_from_the_reopening(app, team, customer):
    """Rule: 已完成 → 处理中 resumes the remaining time: due 3/3 09:00 (high, 450 min), done
    3/2 15:00 with 3 working hours left, reopened 3/3 10:00, so due 3/3 14:30; completed
    again at 14:00 it is not breached."""
    moves = [(datetime(2026, 3, 2, 9, 30), S.PROCESSING), (datetime(2026, 3, 2, 15, 0), S.DONE),
             (datetime(2026, 3, 3, 10, 0), S.PROCESSING)]
    reopened = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, 0),
                            priority=Priority.HIGH, moves=moves)
    assert reopened.resolution_due == datetime(2026, 3, 3, 14, 30)
    done = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, 0),
                        priority=Priority.HIGH, now=datetime(2026, 3, 9),
                        moves=[*moves, (datetime(2026, 3, 3, 14, 0), S.DONE)])
    late = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, 0),
                        priority=Priority.HIGH, now=datetime(2026, 3, 9),
                        moves=[*moves, (datetime(2026, 3, 3, 15, 0), S.DONE)])
    assert (done.resolution_breached, late.resolution_breached) == (False, True)


def test_response_breach_both_ways(app, team, customer):
    """Rule: response_breached when the record left 待处理 after the due (or is still pending
    after it); not when it left in time or the due has not come."""
    start = datetime(2026, 3, 2, 9, 0)  # due 11:00
    on_time = with_history(app, team, customer, service_at=start, now=datetime(2026, 3, 9),
                           moves=[(datetime(2026, 3, 2, 10, 59), S.PROCESSING)])
    late = with_history(app, team, customer, service_at=start, now=datetime(2026, 3, 9),
                        moves=[(datetime(2026, 3, 2, 11, 1), S.PROCESSING)])
    waiting = with_history(app, team, customer, service_at=start, now=datetime(2026, 3, 2, 10))
    forgotten = with_history(app, team, customer, service_at=start, now=datetime(2026, 3, 2, 12))
    assert [r.response_breached for r in (on_time, late, waiting, forgotten)] == [
        False, True, False, True]
    assert forgotten.responded_at is None


def test_resolution_breach_both_ways(app, team, customer):
    """Rule: resolution_breached when completed after the due; an open record once `now` has
    passed it; a record paused before its due is not breached while paused."""
    start = datetime(2026, 3, 2, 9, 0)
    expected = datetime(2026, 3, 2, 16, 0)
    done_ok = with_history(app, team, customer, service_at=start, expected_at=expected,
                           now=datetime(2026, 3, 9), moves=[
                               (datetime(2026, 3, 2, 9, 5), S.PROCESSING),
                               (datetime(2026, 3, 2, 15, 59), S.DONE)])
    done_late = with_history(app, team, customer, service_at=start, expected_at=expected,
                             now=datetime(2026, 3, 9), moves=[
                                 (datetime(2026, 3, 2, 9, 5), S.PROCESSING),
                                 (datetime(2026, 3, 2, 16, 1), S.DONE)])
    paused = with_history(app, team, customer, service_at=start, expected_at=expected,
                          now=datetime(2026, 3, 9), moves=[
                              (datetime(2026, 3, 2, 9, 5), S.PROCESSING),
                              (datetime(2026, 3, 2, 15, 0), S.WAITING_CUSTOMER)])
    open_late = with_history(app, team, customer, service_at=start, expected_at=expected,
                             now=datetime(2026, 3, 2, 16, 1),
                             moves=[(datetime(2026, 3, 2, 9, 5), S.PROCESSING)])
    assert [r.resolution_breached for r in (done_ok, done_late, paused, open_late)] == [
        False, True, False, True]


def test_registered_already_in_progress_responded_at_its_start(app, team, customer):
    """Rule: a record registered in 处理中 (handled on the call) was responded to at once."""
    record = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, 0),
                          status=S.PROCESSING)
    assert record.responded_at == datetime(2026, 3, 2, 9, 0)
    assert not record.response_breached
