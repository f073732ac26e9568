"""The handover pages' forms: the list's filters, a new list's note and picks, a decision's
reason and chosen lines, and the monthly filing's month and department. Picks and lines are
repeated fields (`record_kind` + `record_id`, `item_ids`), read here into ids or refused."""

from datetime import date, datetime

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from app.forms import FilterForm, blank_to_none, options, strip
from app.models.archive import HandoverSource
from app.parsing import IdField, to_id
from app.services.archive.handovers.operations import MAX_LINES, HandoverRefused

_TOO_LONG = _l("不能超过 %(max)d 个字。")


class HandoverFilterForm(FilterForm):
    q = StringField(_l("移交单号"), filters=[strip])
    department = IdField(_l("移交部门"))
    source = SelectField(choices=options([("", _l("全部来源"))], HandoverSource.choices()),
                         default="")
    waiting = SelectField(choices=options([("", _l("全部接收情况")), ("1", _l("有待接收的"))]),
                          default="")
    after = StringField()
    before = StringField()


class NewHandoverForm(FlaskForm):
    note = TextAreaField(_l("备注"), filters=[blank_to_none],
                         validators=[Optional(), Length(max=500, message=_TOO_LONG)])


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("退回原因"), filters=[strip],
                           validators=[Length(max=500, message=_TOO_LONG)])


class MonthlyForm(FlaskForm):
    month = StringField(_l("月份"), filters=[strip])
    department = SelectField(_l("部门"), default="")

    def validate_month(self, field) -> None:
        try:
            datetime.strptime(field.data or "", "%Y-%m")
        except ValueError:
            raise ValidationError(_("请按 年-月 填写月份，如 2026-11。")) from None

    def chosen_month(self) -> date:
        return datetime.strptime(self.month.data, "%Y-%m").date()

    def chosen_department(self) -> int | None:
        return to_id(self.department.data)


def posted_ids(name: str) -> list[int]:
    """The repeated id field's distinct ids, in order; refuses one that is not an id."""
    values = request.form.getlist(name)[:MAX_LINES + 1]
    ids = [to_id(value) for value in values]
    if None in ids:
        raise HandoverRefused(_("所选项目的编号无效，请从页面上选择。"), field=name)
    return list(dict.fromkeys(ids))


def posted_picks() -> list[tuple[str, int]]:
    """The picked records as (kind, id): one `record_kind` for every `record_id`, or one
    kind for all of them (the form's picker posts one kind at a time)."""
    kinds = [kind.strip() for kind in request.form.getlist("record_kind")][:MAX_LINES + 1]
    ids = [to_id(value) for value in request.form.getlist("record_id")][:MAX_LINES + 1]
    if None in ids:
        raise HandoverRefused(_("所选记录的编号无效，请从列表中选择。"), field="record_id")
    if len(kinds) == 1:
        return [(kinds[0], record_id) for record_id in ids]
    if len(kinds) != len(ids):
        raise HandoverRefused(_("记录类型与所选记录的数目不一致。"), field="record_kind")
    return list(zip(kinds, ids, strict=True))
