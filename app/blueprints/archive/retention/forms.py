"""The schedule's form: a rule's period (years, or 永久), the event it counts from, the reason
for the change, and the stamp of the rule as the form opened it (a later save wins over no
one: services/core/edits); adding a rule names its record type too."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from app.forms import options, strip
from app.models.archive import RetentionRule, RetentionTrigger
from app.parsing import to_whole
from app.services.archive.schedule import MAX_YEARS, Period
from app.services.core import edits

REASON_MAX = 500


class RuleForm(FlaskForm):
    permanent = BooleanField(_l("永久保管"))
    years = StringField(_l("保管年限（年）"), filters=[strip])
    trigger = SelectField(_l("起算事件"), choices=options(RetentionTrigger.choices()),
                          validators=[InputRequired(_l("请选择起算事件。"))])
    reason = TextAreaField(_l("修改原因"), filters=[strip], validators=[
        InputRequired(_l("请填写修改原因。")),
        Length(max=REASON_MAX, message=_l("修改原因不能超过 %(max)d 个字。"))])
    stamp = HiddenField()

    def validate_years(self, field) -> None:
        if not self.permanent.data and to_whole(field.data, 1, MAX_YEARS * 10) is None:
            raise ValidationError(_l("请填写保管年限（整数年），或选择永久保管。"))

    def fill(self, rule: RetentionRule) -> None:
        """The form of a stored rule."""
        self.permanent.data = rule.years is None
        self.years.data = "" if rule.years is None else str(rule.years)
        self.trigger.data = rule.trigger.value
        self.stamp.data = edits.stamp(rule)

    def period(self) -> Period:
        """What was chosen (the years ignored when 永久 is ticked)."""
        years = None if self.permanent.data else to_whole(self.years.data, 1, MAX_YEARS * 10)
        return Period(years, RetentionTrigger(self.trigger.data))


class NewRuleForm(RuleForm):
    record_type = SelectField(_l("档案类别"), choices=[],
                              validators=[InputRequired(_l("请选择档案类别。"))])
    reason = TextAreaField(_l("设置原因"), filters=[strip], validators=[
        InputRequired(_l("请填写设置原因。")),
        Length(max=REASON_MAX, message=_l("设置原因不能超过 %(max)d 个字。"))])
