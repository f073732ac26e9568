"""Nightly upkeep of the database. SQLite keeps no planner statistics by itself (PostgreSQL's
autovacuum does): without them its planner guesses, and at a million service records it took
a status-led index built for the statistics and sorted every match (≈300 ms) instead of
walking (status, id) (≈1 ms). ANALYZE gives it the figures; it takes seconds, once a night."""

from sqlalchemy import text

from app.extensions import db


def refresh_planner_statistics() -> bool:
    """ANALYZE on SQLite (True); nothing on PostgreSQL, whose autovacuum keeps them (False)."""
    if db.engine.dialect.name != "sqlite":
        return False
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return True
