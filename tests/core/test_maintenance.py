"""Nightly upkeep: SQLite's planner statistics (services/core/maintenance)."""

from datetime import datetime

from sqlalchemy import text

from app import jobs
from app.extensions import db
from app.services.core import maintenance
from tests.support import in_app, is_postgres


def test_sqlite_gets_planner_statistics_postgresql_keeps_its_own(app):
    """Rule: on SQLite the job runs ANALYZE, so the planner knows its indexes (sqlite_stat1
    holds figures afterwards); on PostgreSQL it does nothing (autovacuum analyzes)."""
    with in_app(app):
        ran = maintenance.refresh_planner_statistics()
        if is_postgres(app):
            assert ran is False
            return
        assert ran is True
        assert db.session.execute(text("SELECT count(*) FROM sqlite_stat1")).scalar() > 0


def test_the_worker_refreshes_them_every_night_at_three():
    """Rule: the queue's periodic tasks include planner_statistics, due at 03:00 only."""
    task = jobs.planner_statistics.task_class()
    assert task.validate_datetime(datetime(2026, 12, 7, 3, 0))
    assert not task.validate_datetime(datetime(2026, 12, 7, 2, 0))
