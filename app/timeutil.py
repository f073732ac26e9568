"""Local (company) time: storage is UTC, people live in the configured time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_now() -> datetime:
    return datetime.now(UTC).astimezone(local_zone())


def local_wall_clock() -> datetime:
    """Local time now, naive and to the second, as business times (服务时间, deadlines) are
    stored and compared in SQL."""
    return local_now().replace(tzinfo=None, microsecond=0)


def local_today() -> date:
    return local_now().date()


def to_local(value: datetime) -> datetime:
    """A stored naive-UTC datetime in the company's time zone."""
    return value.replace(tzinfo=UTC).astimezone(local_zone())
