"""Visit forms: filters (GET, no CSRF), plans (表5-28) and reports (表5-29, 客户拜访记录表)."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.blueprints._picker import picked_id
from app.forms import FilterForm, blank_to_none, options, strip
from app.models import Customer, CustomerType, Interest, VisitStatus
from app.parsing import DayField, IdField, MomentField
from app.services.sales.visits.operations import PlanData, ReportData
from app.timeutil import local_now, local_today

PLAN_HORIZON = timedelta(days=366)


def _text(limit: int, required=None):
    """A text field of at most `limit` characters; `required` is its missing-value message."""
    validators = [Length(max=limit, message=_l("不能超过 %(max)d 个字。"))]
    if required:
        validators.insert(0, DataRequired(required))  # after strip: blanks are missing
    return validators


class _Filters(FilterForm):
    owner = IdField(_l("负责人"), validators=[Optional()])


class VisitFilterForm(_Filters):
    """The visits list: plans or reports, a date range, customer search, status, owner."""

    kind = SelectField(choices=options([("plans", _l("拜访计划")), ("reports", _l("拜访报告"))]),
                       default="plans")
    start = DayField(_l("开始日期"), validators=[Optional()])
    end = DayField(_l("结束日期"), validators=[Optional()])
    q = StringField(_l("客户"), filters=[strip])
    status = SelectField(_l("状态"), choices=options(
        [("", _l("全部状态"))], VisitStatus.choices(), [("overdue", _l("逾期未拜访"))]),
        default="")
    after = StringField()
    before = StringField()

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("结束日期不能早于开始日期。"))


class WeekForm(_Filters):
    week = DayField(_l("周"), validators=[Optional()])


class DayForm(_Filters):
    date = DayField(_l("日期"), validators=[Optional()])


class GridForm(_Filters):
    year = IntegerField(_l("年度"), validators=[Optional()])
    q = StringField(_l("客户"), filters=[strip])


def _picked_customer(value):
    """The picker's id, or the customer's number typed without it (see _picker.picked_id)."""
    return picked_id(value, Customer)


class _CustomerChoice(FlaskForm):
    """A customer chosen among those the user may see (the view checks the choice)."""

    # Blank, malformed, out of range or unknown: None, and "请选择客户" (no coercion error).
    customer = SelectField(_l("客户名称"), coerce=_picked_customer, validate_choice=False)
    stamp = HiddenField()

    def validate_customer(self, field):
        if field.data is None:
            raise ValidationError(_l("请选择客户。"))


class PlanForm(_CustomerChoice):
    planned_date = DayField(_l("计划日期"), validators=[InputRequired(_l("请填写计划日期。"))])
    customer_type = SelectField(_l("客户类型"), choices=options(
        [("", _l("同客户档案"))], CustomerType.choices()), default="")
    purpose = StringField(_l("拜访目的"), filters=[strip],
                          validators=_text(200, _l("请填写拜访目的。")))
    expected_time = StringField(_l("预计时间"), filters=[blank_to_none],
                                validators=_text(50))
    contact_name = StringField(_l("联系人"), filters=[blank_to_none],
                               validators=_text(50))
    remarks = TextAreaField(_l("备注"), filters=[blank_to_none],
                            validators=_text(2000))

    def __init__(self, *args, keep_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep_date = keep_date  # an edit may keep a date that has passed since

    def validate_planned_date(self, field):
        if field.data is None or field.data == self.keep_date:
            return
        today = local_today()
        if field.data < today:
            raise ValidationError(_l("计划日期不能早于今天。"))
        if field.data > today + PLAN_HORIZON:
            raise ValidationError(_l("计划日期不能超过一年以后。"))

    def data_object(self) -> PlanData:
        """The form's values for the visits service."""
        return PlanData(
            planned_date=self.planned_date.data, purpose=self.purpose.data,
            customer_type=CustomerType(self.customer_type.data) if self.customer_type.data
            else None,
            expected_time=self.expected_time.data, contact_name=self.contact_name.data,
            remarks=self.remarks.data)


class ReportForm(_CustomerChoice):
    visited_at = MomentField(_l("拜访时间"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                             validators=[InputRequired(_l("请填写拜访时间。"))])
    contact_met = StringField(_l("接洽人"), filters=[strip],
                              validators=_text(50, _l("请填写接洽人。")))
    purpose = StringField(_l("拜访目的"), filters=[strip],
                          validators=_text(200, _l("请填写拜访目的。")))
    content = TextAreaField(_l("拜访的内容"), filters=[strip],
                            validators=_text(5000, _l("请填写拜访的内容。")))
    interest = SelectField(_l("客户反应（是否感兴趣）"), choices=options(
        [("", _l("请选择"))], Interest.choices()), default="")
    proposal_feedback = TextAreaField(_l("对所推荐方案的反馈意见"), filters=[blank_to_none],
                                      validators=_text(2000))
    objections = TextAreaField(_l("客户异议（权益、费用等）"), filters=[blank_to_none],
                               validators=_text(2000))
    next_meeting_date = DayField(_l("下次约见时间"), validators=[Optional()])
    open_issues = TextAreaField(_l("沟通遗留问题"), filters=[blank_to_none],
                                validators=_text(2000))
    next_topic = StringField(_l("下次沟通主题"), filters=[blank_to_none],
                             validators=_text(200))
    follow_up_actions = TextAreaField(_l("后续行动"), filters=[blank_to_none],
                                      validators=_text(2000))

    def validate_visited_at(self, field):
        if field.data and field.data > local_now().replace(tzinfo=None, second=59):
            raise ValidationError(_l("拜访时间不能晚于现在。"))

    def validate_next_meeting_date(self, field):
        visited = self.visited_at.data
        if field.data and visited and field.data <= visited.date():
            raise ValidationError(_l("下次约见时间应晚于本次拜访日期。"))

    def data_object(self) -> ReportData:
        """The form's values for the visits service."""
        return ReportData(
            visited_at=self.visited_at.data, contact_met=self.contact_met.data,
            purpose=self.purpose.data, content=self.content.data,
            interest=Interest(self.interest.data) if self.interest.data else None,
            proposal_feedback=self.proposal_feedback.data, objections=self.objections.data,
            next_meeting_date=self.next_meeting_date.data, open_issues=self.open_issues.data,
            next_topic=self.next_topic.data, follow_up_actions=self.follow_up_actions.data)
