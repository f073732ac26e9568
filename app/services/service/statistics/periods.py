"""The periods the statistics and reports cover: a quarter or a year (a11, 000 L6), a week
(the Friday report) and a month (the 服务监督报告). Bounds are local business times (service_at
is stored local), start inclusive, end exclusive."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime  # exclusive
    label: str
    code: str  # for file names: 2026, 2026-Q1, 2026-03, 2026-W10

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def year_or_quarter(year: int, quarter: int | None = None) -> Period:
    """The whole `year`, or its quarter 1–4; ValueError outside 2000–2100 or quarter 1–4."""
    if not FIRST_YEAR <= year <= LAST_YEAR or quarter not in (None, 1, 2, 3, 4):
        raise ValueError((year, quarter))
    if quarter is None:
        return Period(datetime(year, 1, 1), datetime(year + 1, 1, 1),
                      _("%(year)d 年", year=year), str(year))
    start = datetime(year, 3 * quarter - 2, 1)
    end = datetime(year + 1, 1, 1) if quarter == 4 else datetime(year, 3 * quarter + 1, 1)
    return Period(start, end, _("%(year)d 年第 %(q)d 季度", year=year, q=quarter),
                  f"{year}-Q{quarter}")


def month(day: date) -> Period:
    """The calendar month that holds `day`."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(day)
    start = datetime(day.year, day.month, 1)
    end = datetime(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return Period(start, end, _("%(year)d 年 %(month)d 月", year=day.year, month=day.month),
                  f"{day:%Y-%m}")


def week(day: date) -> Period:
    """Monday to Sunday of the week that holds `day` (the report is due on its Friday)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(day)
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    iso_year, iso_week, _weekday = monday.isocalendar()
    return Period(_at(monday), _at(monday + timedelta(days=7)),
                  _("%(year)d 年第 %(week)d 周（%(start)s 至 %(end)s）", year=iso_year,
                    week=iso_week, start=monday.isoformat(), end=sunday.isoformat()),
                  f"{iso_year}-W{iso_week:02d}")


def month_before(period: Period) -> Period:
    """The month before a month's period (the report's trend)."""
    return month(period.start.date() - timedelta(days=1))
