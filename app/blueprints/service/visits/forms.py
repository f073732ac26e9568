"""Return visit forms: the list's filters (GET, no CSRF), recording a visit (a9's survey fields),
rescheduling (a reason required) and assigning."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.forms import FilterForm, blank_to_none, options, strip
from app.models.service.visits import Intention, ReturnVisitStatus, VisitKind, VisitMethod
from app.parsing import DayField, IdField, MomentField
from app.services.service.visits.lists import OVERDUE, SORT_COLUMNS, UNASSIGNED, VisitFilters
from app.services.service.visits.operations import VisitRecord

# a9: 非常满意=5, 满意=4, 一般=3, 不满意=2, and the scale's fifth level 非常不满意=1.
SATISFACTION = ((5, _l("5 非常满意")), (4, _l("4 满意")), (3, _l("3 一般")),
                (2, _l("2 不满意")), (1, _l("1 非常不满意")))


def _text(limit: int, required=None):
    """At most `limit` characters; `required` is the message when it is missing."""
    validators = [Length(max=limit, message=_l("不能超过 %(max)d 个字。"))]
    if required:
        validators.insert(0, DataRequired(required))
    return validators


class VisitFilterForm(FilterForm):
    status = SelectField(_l("状态"), choices=options(
        [("", _l("全部状态"))], ReturnVisitStatus.choices()[:1], [(OVERDUE, _l("已逾期"))],
        ReturnVisitStatus.choices()[1:]), default="")
    kind = SelectField(_l("回访类型"), choices=options(
        [("", _l("全部类型"))], VisitKind.choices()), default="")
    assignee = StringField(_l("回访人"), filters=[strip])
    start = DayField(_l("计划日期从"), validators=[Optional()])
    end = DayField(_l("计划日期至"), validators=[Optional()])
    q = StringField(_l("客户"), filters=[strip])
    sort = SelectField(choices=options((key, key) for key in SORT_COLUMNS), default="due")
    dir = SelectField(choices=options((key, key) for key in ("", "asc", "desc")), default="")
    after = StringField()
    before = StringField()


def filters_of(form: VisitFilterForm) -> VisitFilters:
    """The filters the form asks for; an invalid value is ignored, never fatal."""
    value = form.checked()
    assignee = value["assignee"] or ""
    return VisitFilters(
        status=value["status"] or "", kind=value["kind"] or "",
        assignee=UNASSIGNED if assignee == UNASSIGNED else (
            int(assignee) if assignee.isascii() and assignee.isdigit() and len(assignee) < 10
            else None),
        start=value["start"], end=value["end"], q=value["q"] or "",
        sort=value["sort"] or "due", direction=value["dir"] or "",
        after=value["after"] or None, before=value["before"] or None)


def _satisfaction(value):
    """The score as an int; anything else 0, which the validator refuses in Chinese."""
    if value in (None, ""):
        return None
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 3 else 0


class RecordForm(FlaskForm):
    method = SelectField(_l("回访方式"), choices=options(
        [("", _l("请选择"))], VisitMethod.choices()), default="",
        validators=[DataRequired(_l("请选择回访方式。"))])
    visited_at = MomentField(_l("回访时间"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                             validators=[InputRequired(_l("请填写回访时间。"))])
    record = TextAreaField(_l("访问记录"), filters=[strip],
                           validators=_text(5000, _l("请填写访问记录。")))
    objections = TextAreaField(_l("主要异议诉求"), filters=[blank_to_none],
                               validators=_text(2000))
    suggestions = TextAreaField(_l("建议"), filters=[blank_to_none], validators=_text(2000))
    satisfaction = SelectField(_l("满意度"), coerce=_satisfaction, choices=options(
        [("", _l("未评价"))], SATISFACTION), default="", validate_choice=False)
    intention = SelectField(_l("再次合作意向"), choices=options(
        [("", _l("未了解"))], Intention.choices()), default="")
    next_plan = TextAreaField(_l("下次回访计划"), filters=[blank_to_none],
                              validators=_text(1000))
    next_date = DayField(_l("下次回访日期"), validators=[Optional()])

    def validate_satisfaction(self, field):
        if field.data is not None and field.data not in range(1, 6):
            raise ValidationError(_l("满意度为 1–5 分。"))

    def data_object(self) -> VisitRecord:
        """The form's values for the visits service."""
        return VisitRecord(
            method=VisitMethod(self.method.data), visited_at=self.visited_at.data,
            record=self.record.data, objections=self.objections.data,
            suggestions=self.suggestions.data, satisfaction=self.satisfaction.data,
            intention=Intention(self.intention.data) if self.intention.data else None,
            next_plan=self.next_plan.data, next_date=self.next_date.data)


class RescheduleForm(FlaskForm):
    due_date = DayField(_l("新的回访日期"), validators=[InputRequired(_l("请填写新的回访日期。"))])
    reason = TextAreaField(_l("改期原因"), filters=[strip],
                           validators=_text(1000, _l("请填写改期原因。")))


class AssignForm(FlaskForm):
    assignee = IdField(_l("回访人"), validators=[InputRequired(_l("请选择回访人。"))])
