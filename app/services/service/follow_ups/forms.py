"""The follow-up form. It lives with the services because the record's page (another
subpackage's view) shows it through section.section_context, and pages never import each
other's packages; the follow-up views validate the same class."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.forms import blank_to_none, options, strip
from app.models.service.follow_ups import FollowUpResult
from app.parsing import DayField, MomentField
from app.services.service.follow_ups.operations import FollowUpData, in_future
from app.timeutil import local_now

_TOO_LONG = _l("不能超过 %(max)d 个字。")


def _text(limit: int, required=None) -> list:
    """At most `limit` characters; `required` is the message when it is missing."""
    validators = [Length(max=limit, message=_TOO_LONG)]
    if required:
        validators.insert(0, DataRequired(required))  # after strip: blanks are missing
    return validators


class FollowUpForm(FlaskForm):
    communicated_at = MomentField(_l("沟通时间"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                  validators=[InputRequired(_l("请填写沟通时间。"))])
    points = TextAreaField(_l("沟通要点"), filters=[strip],
                           validators=_text(5000, _l("请填写沟通要点。")))
    progress = TextAreaField(_l("进展情况"), filters=[blank_to_none], validators=_text(2000))
    next_action = StringField(_l("下一步行动"), filters=[blank_to_none], validators=_text(200))
    next_due = DayField(_l("下一步行动期限"), validators=[Optional()])
    result = SelectField(_l("跟进结果"), choices=options(FollowUpResult.choices()),
                         default=FollowUpResult.UNRESOLVED.value)
    remarks = TextAreaField(_l("备注"), filters=[blank_to_none], validators=_text(2000))

    def validate_communicated_at(self, field):
        if field.data and in_future(field.data):
            raise ValidationError(_l("沟通时间不能晚于现在。"))

    def validate_next_due(self, field):
        said = self.communicated_at.data
        if field.data and said and field.data < said.date():
            raise ValidationError(_l("下一步行动期限不能早于沟通时间。"))

    def start(self) -> "FollowUpForm":
        """A blank form: spoken to just now, problem not yet solved."""
        self.communicated_at.data = local_now().replace(tzinfo=None, second=0, microsecond=0)
        return self

    def data_object(self) -> FollowUpData:
        """The form's values for the follow-up service."""
        return FollowUpData(
            communicated_at=self.communicated_at.data, points=self.points.data,
            result=FollowUpResult(self.result.data), progress=self.progress.data,
            next_action=self.next_action.data, next_due=self.next_due.data,
            remarks=self.remarks.data)
