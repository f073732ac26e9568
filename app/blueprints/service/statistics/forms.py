"""The period selectors of the statistics and report pages (GET, no CSRF)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from app.forms import FilterForm, options
from app.parsing import DayField
from app.services.service.statistics.periods import FIRST_YEAR, LAST_YEAR

QUARTERS = [("", _l("全年")), ("1", _l("第一季度")), ("2", _l("第二季度")),
            ("3", _l("第三季度")), ("4", _l("第四季度"))]


class StatisticsForm(FilterForm):
    """年度 and 季度 (blank: the whole year)."""

    year = IntegerField(_l("年度"), validators=[Optional(), NumberRange(
        FIRST_YEAR, LAST_YEAR, message=_l("年度应在 %(min)s 至 %(max)s 之间。"))])
    quarter = SelectField(_l("季度"), choices=options(QUARTERS), default="")

    def period_args(self, today: date) -> tuple[int, int | None]:
        """(year, quarter or None); this year when none is given."""
        return self.year.data or today.year, int(self.quarter.data) if self.quarter.data else None


class WeekForm(FilterForm):
    """Any day of the week the report covers (this week by default)."""

    week = DayField(_l("周（任选一天）"), validators=[Optional()])


class MonthField(DateField):
    """A month typed as 年-月 (an <input type=month>): the month's first day."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%Y-%m", **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("请按 年-月 填写月份，如 2026-03。")) from error
        if self.data and not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            self.data = None
            raise ValueError(_l("年度应在 %(min)s 至 %(max)s 之间。", min=FIRST_YEAR,
                                max=LAST_YEAR))


class MonthForm(FilterForm):
    """The month the 服务监督报告 covers (last month by default: it is written at month end)."""

    month = MonthField(_l("月份"), validators=[Optional()])
