"""The return visits' daily job: tops the delivery schedules up to the horizon and, in December,
makes the year's demand survey visits. Idempotent: running it twice a day, or every day of
December, adds nothing the first run added. Run by `flask service visits-daily` (cron) or a
Huey periodic task."""

from dataclasses import dataclass
from datetime import date

from app.extensions import db
from app.services.service.visits import schedule
from app.timeutil import local_today


@dataclass
class DailyResult:
    scheduled: int
    surveys: int


def daily(today: date | None = None) -> DailyResult:
    """Generates what is missing up to today's horizon and commits."""
    today = today or local_today()
    conn = db.session.connection()
    result = DailyResult(schedule.extend(conn, today), 0)
    if today.month == 12:
        result.surveys = schedule.december_surveys(conn, today.year)
    db.session.commit()
    return result
