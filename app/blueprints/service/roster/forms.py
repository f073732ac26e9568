"""The duty roster's forms and its month and year arguments."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.forms import blank_to_none
from app.parsing import BadInput, DayField, IdField, MomentField
from app.services.service.roster.operations import DutyFill, DutyPlan, hours_problem
from app.timeutil import local_today

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


class HoursField(StringField):
    """工作时长 typed as an exact number of hours (7.5); never a float."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        try:
            self.data = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(_l("工作时长请填写小时数，如 8 或 7.5。")) from error

    def pre_validate(self, form):
        problem = hours_problem(self.data)
        if problem:
            raise ValueError(problem)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data.normalize():f}"


class DutyForm(FlaskForm):
    duty_date = DayField(_l("日期"), validators=[InputRequired(_l("请填写值班日期。"))])
    user_id = IdField(_l("值班人员"), validators=[InputRequired(_l("请选择值班人员。"))])
    handover_at = MomentField(_l("交接时间"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                              validators=[Optional()])
    work_content = TextAreaField(_l("工作内容"), filters=[blank_to_none], validators=[
        Length(max=2000, message=_l("工作内容不能超过 %(max)d 个字。"))])
    hours = HoursField(_l("工作时长（小时）"))
    remarks = TextAreaField(_l("备注"), filters=[blank_to_none], validators=[
        Length(max=1000, message=_l("备注不能超过 %(max)d 个字。"))])
    seen = HiddenField()

    def plan(self) -> DutyPlan:
        """The form's values for the roster service."""
        return DutyPlan(self.duty_date.data, self.user_id.data, DutyFill(
            self.handover_at.data, self.work_content.data, self.hours.data, self.remarks.data))


class FillForm(DutyForm):
    """What the person on duty fills in: the day and the person stay as planned."""

    duty_date = None
    user_id = None

    def plan(self) -> DutyPlan:
        return DutyPlan(None, None, DutyFill(self.handover_at.data, self.work_content.data,
                                             self.hours.data, self.remarks.data))


def arg_month() -> date:
    """The month in ?month=YYYY-MM (this month when absent); 400 for anything else."""
    text = request.args.get("month", "").strip()
    if not text:
        return local_today().replace(day=1)
    match = _MONTH.fullmatch(text)
    if match and 2000 <= int(match[1]) <= 2999 and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    raise BadInput(_("链接中的参数 %(name)s 不是有效的月份，请从页面上的链接进入。", name="month"))


def arg_year() -> int:
    """The year in ?year= (this year when absent); 400 for anything else."""
    text = request.args.get("year", "").strip()
    if not text:
        return local_today().year
    if re.fullmatch(r"[0-9]{4}", text) and 2000 <= int(text) <= 2999:
        return int(text)
    raise BadInput(_("链接中的参数 %(name)s 不是有效的年份，请从页面上的链接进入。", name="year"))
