"""节假日服务保障 (002 L66–68): 客服部 watches over the statutory holidays (元旦、春节、国庆…).
A holiday period is a run of days off by the working-time calendar (services.core.worktime,
with the administrator's exceptions and the make-up workdays 调休) that holds at least one
weekday off: ordinary weekends are not holidays. Each day shows who is on duty and the days
nobody covers."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import chinese_calendar
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.service.roster import DutyShift
from app.services.core.worktime import WORK, calendar_for

# The statutory calendar's names (chinese-calendar gives them in English).
NAMES = {
    "New Year's Day": _l("元旦"), "Spring Festival": _l("春节"),
    "Tomb-sweeping Day": _l("清明节"), "Labour Day": _l("劳动节"),
    "Dragon Boat Festival": _l("端午节"), "Mid-autumn Festival": _l("中秋节"),
    "National Day": _l("国庆节"), "Anti-Fascist 70th Day": _l("抗战胜利纪念日"),
}
FIRST_YEAR, LAST_YEAR = 2000, 2999


@dataclass
class CoverageDay:
    day: date
    shifts: list[DutyShift] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.shifts)

    @property
    def hours(self) -> Decimal | None:
        """The day's duty hours filled in so far; None when none are."""
        values = [shift.hours for shift in self.shifts if shift.hours is not None]
        return sum(values, Decimal(0)) if values else None


@dataclass
class HolidayPeriod:
    name: str
    days: list[CoverageDay]

    @property
    def uncovered(self) -> int:
        return sum(1 for day in self.days if not day.covered)


def _name(days: list[date]) -> str:
    """The statutory name of the period (from its first named day); 节假日 otherwise."""
    for day in days:
        try:
            _holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:  # a year the library does not cover
            name = None
        if name in NAMES:
            return str(NAMES[name])
    return str(_l("节假日"))


def holiday_runs(year: int) -> list[list[date]]:
    """The year's holiday periods as runs of days off holding at least one weekday off."""
    calendar = calendar_for(WORK)
    runs, run = [], []
    day, last = date(year, 1, 1), date(year, 12, 31)
    while day <= last:
        if not calendar.is_working_day(day):
            run.append(day)
        elif run:
            runs.append(run)
            run = []
        day += timedelta(days=1)
    if run:
        runs.append(run)
    return [r for r in runs if any(d.weekday() < 5 for d in r)]


def coverage(scoped: Select, year: int) -> list[HolidayPeriod]:
    """The year's holiday periods, each day with the duties the user may see (one query)."""
    runs = holiday_runs(year)
    days = [day for run in runs for day in run]
    by_day: dict[date, list[DutyShift]] = {}
    if days:
        query = (scoped.where(DutyShift.duty_date.in_(days))
                 .options(selectinload(DutyShift.user)).order_by(DutyShift.duty_date,
                                                                 DutyShift.id))
        for shift in db.session.scalars(query):
            by_day.setdefault(shift.duty_date, []).append(shift)
    return [HolidayPeriod(_name(run), [CoverageDay(d, by_day.get(d, [])) for d in run])
            for run in runs]
