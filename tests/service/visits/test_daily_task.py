"""The return visits' daily job is scheduled on the worker's queue (Huey periodic task)."""

from datetime import datetime

from app import jobs


def test_the_worker_runs_the_visits_daily_job_every_night_at_two():
    """Rule: the schedules are topped up and December's surveys made without a cron entry:
    the queue's periodic tasks include visits_daily, due at 02:00 and at no other hour."""
    task = jobs.visits_daily.task_class()
    assert task.name == "visits_daily"
    assert task.validate_datetime(datetime(2026, 12, 7, 2, 0))
    assert not task.validate_datetime(datetime(2026, 12, 7, 3, 0))
    assert any(p.name == "visits_daily" for p in jobs.huey._registry.periodic_tasks)
