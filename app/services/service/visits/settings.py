"""The return visit settings (Flask config keys, with the seeds' defaults): the cadence policy
table keyed by customer grade, the generated horizon, and the tiles' look-ahead."""

from flask import current_app

from app.models.customers import Grade

# Cadence per grade: (months of the first phase, its interval, the interval after), in months.
# Seed a6: monthly in the first year after delivery, then quarterly; the same for every grade
# unless an administrator sets SERVICE_VISIT_CADENCE = {"A": (12, 1, 3), ...}.
DEFAULT_CADENCE = (12, 1, 3)
HORIZON_MONTHS = 24  # the schedule is generated this far ahead and topped up daily
AFTER_SERVICE_DAYS = 3  # the return call after a completed service
SURVEY_DAY = 15  # the December demand survey's due day
TILE_DAYS = 3  # 我的工作台: visits due within this many days


def setting(name: str, default):
    """A SERVICE_VISIT_* setting from the config, else the default."""
    return current_app.config.get(f"SERVICE_VISIT_{name}", default)


def cadence(grade: Grade | str | None) -> tuple[int, int, int]:
    """(first phase months, interval in it, interval after) for a customer grade."""
    table = setting("CADENCE", {})
    key = grade.value if isinstance(grade, Grade) else grade
    return tuple(table.get(key, DEFAULT_CADENCE))
