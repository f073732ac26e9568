"""The four-property check's forms: a run's scope, the report's signature, the scheme, and the
lists' filters."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.forms import FilterForm, options, strip
from app.models.archive import CheckDimension, CheckOutcome, CheckRunStatus, CheckScope
from app.parsing import DayField, to_id
from app.services.archive.checks import scheme
from app.services.archive.checks.scopes import ScopeChoice

_SEPARATORS = re.compile(r"[\s,，;；]+")


class CheckForm(FlaskForm):
    scope = SelectField(_l("检测范围"), choices=options(CheckScope.choices()), default="all",
                        validators=[InputRequired(_l("请选择检测范围。"))])
    department_id = SelectField(_l("部门"), coerce=to_id, validate_choice=False)
    record_type = SelectField(_l("记录类型"), validate_choice=False)
    filed_from = DayField(_l("归档日期自"), validators=[Optional()])
    filed_to = DayField(_l("归档日期至"), validators=[Optional()])
    numbers = TextAreaField(_l("档号"), filters=[strip], validators=[
        Length(max=400_000, message=_l("档号太多，请分批检测。"))],
        description=_l("每行一个档号，也可用逗号或空格分隔。"))

    def offer(self, departments: list[tuple[int, str]], kinds: list[tuple[str, str]]) -> None:
        """The choices of the department and record type selects."""
        self.department_id.choices = options([("", _l("请选择部门"))], departments)
        self.record_type.choices = options([("", _l("请选择记录类型"))], kinds)

    def numbers_typed(self) -> list[str]:
        return [n for n in _SEPARATORS.split(self.numbers.data or "") if n]

    def choice(self, item_ids: list[int]) -> ScopeChoice:
        return ScopeChoice(CheckScope(self.scope.data), self.department_id.data,
                           self.record_type.data or None, self.filed_from.data,
                           self.filed_to.data, item_ids)


class SignForm(FlaskForm):
    password = PasswordField(_l("登录密码"), validators=[
        InputRequired(_l("请输入您的登录密码以签署报告。"))])


class SchemeForm(FlaskForm):
    """The note of a new version; each check's row is read by `settings` (fields named
    dimension-<code>, blocking-<code>, enabled-<code>)."""

    note = StringField(_l("修订说明"), filters=[strip], validators=[
        InputRequired(_l("请填写修订说明。")),
        Length(max=200, message=_l("不能超过 %(max)d 个字。"))])

    def settings(self, values) -> list[scheme.Setting] | None:
        """The rows as posted; None (with the form's error) when a dimension is not one."""
        dimensions = {d.value: d for d in CheckDimension}
        chosen = []
        for check in scheme.CHECKS:
            dimension = dimensions.get(values.get(f"dimension-{check.code}", ""))
            if dimension is None:
                self.form_errors.append(_l("请为每个检测项目选择所属的检测维度。"))
                return None
            chosen.append(scheme.Setting(check, dimension, f"blocking-{check.code}" in values,
                                         f"enabled-{check.code}" in values))
        return chosen


class RunFilterForm(FilterForm):
    status = SelectField(choices=options([("", _l("全部状态"))], CheckRunStatus.choices()),
                         default="")
    after = StringField()
    before = StringField()


class FailureFilterForm(FilterForm):
    outcome = SelectField(choices=options([("", _l("全部问题"))], [
        (CheckOutcome.FAILED.value, CheckOutcome.FAILED.label),
        (CheckOutcome.WARNING.value, CheckOutcome.WARNING.label)]), default="")
    after = StringField()
    before = StringField()
