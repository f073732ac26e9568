"""The disposal forms: a new list (the due items ticked, `item_ids` repeatable, and the
archivist's appraisal), a reviewer's keep decision, an abort, the archivist's countersignature
that starts execution, and the filters of the lists and of the due list."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.blueprints.archive.loans.forms import ItemIdsField
from app.forms import FilterForm, options, strip
from app.models.archive import DisposalStatus
from app.parsing import IdField
from app.services.archive.disposals.operations import REASON_MAX

_TOO_LONG = _l("不能超过 %(max)d 个字。")


def _reason(label, message):
    return TextAreaField(label, filters=[strip], validators=[
        InputRequired(message), Length(max=REASON_MAX, message=_TOO_LONG)])


class DisposalForm(FlaskForm):
    item_ids = ItemIdsField()
    appraisal = TextAreaField(_l("鉴定意见"), filters=[strip], validators=[
        Optional(), Length(max=REASON_MAX, message=_TOO_LONG)])


class KeepForm(FlaskForm):
    entry_id = IdField(validators=[InputRequired(_l("请选择清单中的档案。"))])
    reason = _reason(_l("保留原因"), _l("请填写保留原因。"))


class AbortForm(FlaskForm):
    reason = _reason(_l("中止原因"), _l("请填写中止原因。"))


class ExecuteForm(FlaskForm):
    password = PasswordField(_l("登录密码"), validators=[
        InputRequired(_l("请输入登录密码以会签。"))])


class DisposalFilterForm(FilterForm):
    status = SelectField(choices=options([("", _l("全部状态"))], DisposalStatus.choices()),
                         default="")
    department = IdField()
    after = StringField()
    before = StringField()


class DueFilterForm(FilterForm):
    department = IdField()
    kind = StringField(filters=[strip])
    after = StringField()
    before = StringField()
