"""Approval flow form: a flow's ordered steps as rows, rearranged by posting the form back."""

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from app.forms import options, strip
from app.models import ApproverRule, Meaning, Role, StepMode
from app.parsing import to_id
from app.services.approvals import flows

AMOUNT = r"^-?\d{1,14}(\.\d{1,2})?$"
STEP_FIELDS = ("name", "rule", "role", "department_id", "mode", "meaning", "condition_field",
               "threshold")
NEW_STEP = {"name": "", "rule": ApproverRule.RECORD_DEPT_MANAGER.value, "role": "",
            "department_id": "", "mode": StepMode.ANY.value, "meaning": Meaning.REVIEW.value,
            "condition_field": "", "threshold": ""}
_ROW = re.compile(r"^steps-([0-9]{1,6})-")  # ASCII, a few digits: int() never raises
NONE_CHOSEN = (("", "—"),)


def _member(enum, value):
    """The enum member for a submitted code; None when blank or not a valid code."""
    try:
        return enum(value) if value else None
    except ValueError:
        return None


class StepForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(_l("步骤名称"), filters=[strip], validators=[
        InputRequired(_l("请填写步骤名称。")),
        Length(max=100, message=_l("步骤名称不能超过 %(max)d 个字。"))])
    rule = SelectField(_l("审批人规则"), choices=options(ApproverRule.choices()))
    role = SelectField(_l("角色"), default="", choices=options(
        NONE_CHOSEN, ((role.value, role.label) for role in flows.SIGNER_ROLES)))
    department_id = SelectField(_l("部门"), coerce=to_id)
    mode = SelectField(_l("签字方式"), choices=options(StepMode.choices()))
    meaning = SelectField(_l("签字含义"), choices=options(Meaning.choices()))
    condition_field = SelectField(_l("条件字段"), default="")
    threshold = StringField(_l("金额阈值（≥）"), filters=[strip], validators=[
        Optional(), Regexp(AMOUNT, message=_l("金额阈值须为数字，最多两位小数。"))])

    def step_data(self) -> flows.StepData:
        """The row for the service; unparsable values become None (and are refused there)."""
        # The stored Decimal on a GET, the typed text on a post.
        threshold = str(self.threshold.data) if self.threshold.data is not None else ""
        return flows.StepData(
            name=self.name.data or "", rule=_member(ApproverRule, self.rule.data),
            mode=_member(StepMode, self.mode.data), meaning=_member(Meaning, self.meaning.data),
            role=_member(Role, self.role.data), department_id=self.department_id.data,
            condition_field=self.condition_field.data or None,
            threshold=Decimal(threshold) if re.match(AMOUNT, threshold) else None)


class FlowForm(FlaskForm):
    steps = FieldList(FormField(StepForm))

    def __init__(self, *args, departments, condition_fields: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.has_conditions = bool(condition_fields)
        for entry in self.steps:
            entry.department_id.choices = options(NONE_CHOSEN,
                                                  ((d.id, d.label) for d in departments))
            entry.condition_field.choices = options((("", _l("（无条件）")),),
                                                    condition_fields.items())

    def step_data(self) -> list[flows.StepData]:
        return [entry.form.step_data() for entry in self.steps]

    def show(self, problems: list[flows.Problem]) -> None:
        """Puts the service's refusals next to the fields they concern."""
        for problem in problems:
            if problem.row is None:
                self.form_errors.append(problem.message)
            else:
                field = self.steps.entries[problem.row].form[problem.field]
                field.errors = [*field.errors, problem.message]
        if any(entry.errors for entry in self.steps):  # FieldList collects them at validation
            self.steps.errors = [entry.errors for entry in self.steps]


def submitted_rows(formdata) -> list[dict[str, str]]:
    """The step rows as typed, in their order on the page."""
    indices = sorted({int(match.group(1)) for key in formdata if (match := _ROW.match(key))})
    return [{field: formdata.get(f"steps-{i}-{field}", "") for field in STEP_FIELDS}
            for i in indices]


def rearranged(formdata, command: str) -> MultiDict:
    """The form data after 添加步骤 ("add"), 删除 / 上移 / 下移 ("remove-2", "up-2", "down-2");
    any other command (e.g. "refresh") leaves the rows as they are."""
    rows = submitted_rows(formdata)
    verb, _, index = command.partition("-")
    at = int(index) if re.fullmatch(r"[0-9]{1,6}", index) else -1
    if verb == "add":
        rows.append(dict(NEW_STEP))
    elif verb == "remove" and 0 <= at < len(rows):
        del rows[at]
    elif verb in ("up", "down"):
        other = at - 1 if verb == "up" else at + 1
        if min(at, other) >= 0 and max(at, other) < len(rows):
            rows[at], rows[other] = rows[other], rows[at]
    return MultiDict([(f"steps-{i}-{field}", value)
                      for i, row in enumerate(rows) for field, value in row.items()])
