"""The fault report's forms: the first report and the completion, and the list's filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.forms import FilterForm, blank_to_none, options, strip
from app.models.service.roster import FaultStatus
from app.parsing import IdField, MomentField
from app.services.service.faults.operations import Analysis, FaultData


def _text(label, message, most=4000):
    return TextAreaField(label, filters=[strip], validators=[
        InputRequired(message), Length(max=most, message=_l("不能超过 %(max)d 个字。"))])


class FaultForm(FlaskForm):
    customer_id = IdField(_l("客户"), validators=[InputRequired(_l("请选择客户。"))])
    record_number = StringField(_l("关联服务编号"), filters=[blank_to_none], validators=[
        Optional(), Length(max=40)])
    occurred_at = MomentField(_l("发生时间"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                              validators=[InputRequired(_l("请填写故障发生时间。"))])
    place = StringField(_l("地点"), filters=[strip], validators=[
        InputRequired(_l("请填写故障发生地点。")),
        Length(max=200, message=_l("不能超过 %(max)d 个字。"))])
    symptoms = _text(_l("现象"), _l("请描述故障现象。"))
    plan = _text(_l("处理预案"), _l("请填写处理预案。"))

    def data_of(self) -> FaultData:
        return FaultData(self.customer_id.data, self.occurred_at.data, self.place.data,
                         self.symptoms.data, self.plan.data, self.record_number.data)


class CompleteForm(FlaskForm):
    impact = _text(_l("造成的影响"), _l("请填写故障造成的影响。"))
    handling = _text(_l("处理情况"), _l("请填写处理情况。"))
    cause = _text(_l("原因分析"), _l("请填写原因分析。"))
    actions = _text(_l("采取的纠正预防措施"), _l("请填写采取的纠正预防措施。"))

    def analysis(self) -> Analysis:
        return Analysis(self.impact.data, self.handling.data, self.cause.data, self.actions.data)


class FaultFilterForm(FilterForm):
    q = StringField(_l("搜索"), filters=[strip])
    status = SelectField(choices=options([("", _l("全部状态"))], FaultStatus.choices()),
                         default="")
    after = StringField()
    before = StringField()
