"""The SLA forms: a policy's targets in hours (two decimals: 0.5 = 30 minutes), a contract's
on-site profile."""

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from app.forms import options, strip
from app.models.service.sla import SlaCalendar
from app.services.service.sla import policies

_HOURS = re.compile(r"\d{1,5}(\.\d{1,2})?")


class HoursField(StringField):
    """A number of hours with at most two decimals, kept as whole minutes in `minutes`."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = (self.data or "").strip()
        self.minutes = None
        if not text:
            return
        if not _HOURS.fullmatch(text):
            raise ValueError(_l("请填写小时数，最多两位小数（如 0.5 表示 30 分钟）。"))
        self.minutes = int((Decimal(text) * 60).to_integral_value())

    def show(self, minutes: int | None) -> None:
        """Fills the field from stored minutes."""
        if minutes is not None:
            self.data = f"{Decimal(minutes) / 60:.2f}".rstrip("0").rstrip(".")


class PolicyForm(FlaskForm):
    name = StringField(_l("名称"), filters=[strip], validators=[
        InputRequired(_l("请填写名称。")), Length(max=50, message=_l("名称不能超过 50 个字。"))])
    calendar = SelectField(_l("计时日历"), choices=options(SlaCalendar.choices()),
                           validators=[InputRequired(_l("请选择计时日历。"))])
    response_hours = HoursField(_l("响应时限（小时）"),
                                validators=[InputRequired(_l("请填写响应时限。"))])
    on_site_hours = HoursField(_l("到场时限（小时）"))
    resolution_hours = HoursField(_l("解决时限（小时）"),
                                  validators=[InputRequired(_l("请填写解决时限。"))])
    version = HiddenField()

    def fill(self, policy) -> None:
        """The form of a stored policy."""
        self.name.data, self.calendar.data = policy.name, policy.calendar.value
        self.response_hours.show(policy.response_minutes)
        self.on_site_hours.show(policy.on_site_minutes)
        self.resolution_hours.show(policy.resolution_minutes)
        self.version.data = str(policy.version)

    def targets(self) -> policies.Targets:
        """What was typed, in minutes."""
        return policies.Targets(self.name.data, SlaCalendar(self.calendar.data),
                                self.response_hours.minutes, self.on_site_hours.minutes,
                                self.resolution_hours.minutes)


class AttachForm(FlaskForm):
    contract_number = StringField(_l("合同编号"), filters=[strip], validators=[
        InputRequired(_l("请填写合同编号。")), Length(max=32, message=_l("没有这个合同编号。"))])
    policy_id = SelectField(_l("上门服务承诺"), coerce=int,
                            validators=[InputRequired(_l("请选择上门服务承诺。"))])
