"""Approval flows as data: the administrators' rules for listing and editing them.

Editing a flow never moves a running request: each request froze its steps at submission.
"""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ApprovalFlow, ApprovalStep, ApproverRule, Department, Role, User
from app.models.accounts import BUSINESS_ROLES
from app.models.approvals import Meaning, StepMode
from app.models.base import utcnow
from app.services.core import audit

# The numeric fields each kind of record offers as a step condition ("amount >= threshold").
# A kind's RecordKind.numbers() must return the same keys. Customers have none yet; a contract
# flow would declare e.g. "contract.review": {"amount": _l("合同金额")}.
CONDITION_FIELDS: dict[str, dict[str, str]] = {
    "customer.review": {},
    "customer.change": {},
    "contract.review": {"amount": _l("合同金额")},
    "contract.change": {"amount": _l("合同金额")},
    "service.record_review": {},
}
# Only business roles can open an approval request, so only they can sign a step.
SIGNER_ROLES = tuple(role for role in Role if role in BUSINESS_ROLES)
CENT = Decimal("0.01")
MAX_THRESHOLD = Decimal(10) ** 14  # approval_steps.threshold is NUMERIC(16, 2)
_SHOWN_NAMES = 5
_AUDITED = ("position", "name", "rule", "role", "department_id", "mode", "meaning",
            "condition_field", "threshold")


@dataclass(frozen=True)
class StepData:
    """One step as an administrator entered it (None: not chosen, or not a valid choice)."""

    name: str
    rule: ApproverRule | None
    mode: StepMode | None
    meaning: Meaning | None
    role: Role | None = None
    department_id: int | None = None
    condition_field: str | None = None
    threshold: Decimal | None = None


@dataclass(frozen=True)
class Problem:
    """Why steps cannot be saved: for the whole flow (row None) or one field of one row."""

    message: str
    row: int | None = None
    field: str | None = None


def condition_fields(flow_kind: str) -> dict[str, str]:
    """{field: label} of the numeric fields a flow's steps may be conditioned on."""
    return {name: str(label) for name, label in CONDITION_FIELDS.get(flow_kind, {}).items()}


def list_flows(query: Select) -> list[ApprovalFlow]:
    """The flows `query` selects (already restricted by policy), with their steps, by id."""
    steps = selectinload(ApprovalFlow.steps).joinedload(ApprovalStep.department)
    query = query.options(steps).order_by(ApprovalFlow.id)
    return list(db.session.scalars(query))


def _signers(step: StepData) -> Select:
    """Active users the rule could name today; for the manager rules, any manager."""
    query = select(User).where(User.active.is_(True)).order_by(User.id)
    if step.rule == ApproverRule.GM:
        return query.where(User.role == Role.GM)
    if step.rule == ApproverRule.ROLE_IN_DEPT:
        return query.where(User.role == step.role, User.department_id == step.department_id)
    return query.where(User.role == Role.MANAGER)


def who_signs(step: StepData) -> str:
    """Who would sign the step today: names where the rule fixes them, else whose department."""
    if step.rule == ApproverRule.RECORD_DEPT_MANAGER:
        return _("按记录所属部门")
    if step.rule == ApproverRule.SUBMITTER_DEPT_MANAGER:
        return _("按提交人部门")
    if step.rule == ApproverRule.OWN_DEPT_MANAGER_ELSE_GM:
        return _("按提交人与记录的部门")
    if step.rule is None or (step.rule == ApproverRule.ROLE_IN_DEPT
                             and (step.role is None or step.department_id is None)):
        return ""
    names = list(db.session.scalars(_signers(step).with_only_columns(User.full_name)))
    if not names:
        return _("（无人）")
    shown = "、".join(names[:_SHOWN_NAMES])
    return shown if len(names) <= _SHOWN_NAMES else _("%(names)s 等 %(n)d 人", names=shown,
                                                        n=len(names))


def _nobody_message(step: StepData) -> str:
    if step.rule == ApproverRule.GM:
        return _("系统中没有在职的总经理，此步骤无人可签。")
    if step.rule == ApproverRule.ROLE_IN_DEPT:
        department = db.session.get(Department, step.department_id)
        return _("%(dept)s没有在职的%(role)s，此步骤无人可签。",
                 dept=department.label if department else "", role=step.role.label)
    return _("系统中没有在职的部门经理，此步骤无人可签。")


def _rule_problems(step: StepData) -> list[tuple[str, str]]:
    if step.rule is None:
        return [("rule", _("请选择审批人规则。"))]
    if step.rule == ApproverRule.ROLE_IN_DEPT:
        missing = [(field, message) for field, value, message in (
            ("role", step.role, _("「指定部门的指定角色」须选择角色。")),
            ("department_id", step.department_id, _("「指定部门的指定角色」须选择部门。")))
            if value is None]
        if missing:
            return missing
        if step.role not in SIGNER_ROLES:
            return [("role", _("该角色不能审批业务记录。"))]
    if not db.session.scalar(select(_signers(step).exists())):
        field = "department_id" if step.rule == ApproverRule.ROLE_IN_DEPT else "rule"
        return [(field, _nobody_message(step))]
    return []


def _threshold_problem(value: Decimal) -> str | None:
    if not value.is_finite():
        return _("金额阈值须为数字。")
    if value < 0:
        return _("金额阈值不能为负数。")
    if value >= MAX_THRESHOLD:
        return _("金额阈值过大。")
    if value != value.quantize(CENT):
        return _("金额阈值最多两位小数。")
    return None


def _condition_problems(step: StepData, fields: dict[str, str]) -> list[tuple[str, str]]:
    if step.condition_field is None and step.threshold is None:
        return []
    if step.condition_field is None:
        return [("condition_field", _("填写了金额阈值时须选择条件字段。"))]
    if step.condition_field not in fields:
        return [("condition_field", _("该流程的记录没有此条件字段。"))]
    if step.threshold is None:
        return [("threshold", _("选择了条件字段时须填写金额阈值。"))]
    problem = _threshold_problem(step.threshold)
    return [("threshold", problem)] if problem else []


def _step_problems(step: StepData, fields: dict[str, str]) -> list[tuple[str, str]]:
    found = [] if step.name.strip() else [("name", _("请填写步骤名称。"))]
    if step.mode is None:
        found.append(("mode", _("请选择签字方式。")))
    if step.meaning is None:
        found.append(("meaning", _("请选择签字含义。")))
    return found + _rule_problems(step) + _condition_problems(step, fields)


def problems(flow: ApprovalFlow, steps: list[StepData]) -> list[Problem]:
    """Why `steps` cannot become the flow: no step at all, an incomplete rule, a step nobody
    can sign today, or a condition without a declared field or a threshold >= 0."""
    if not steps:
        return [Problem(_("审批流程至少需要一个步骤。"))]
    fields = condition_fields(flow.kind)
    return [Problem(message, row, field) for row, step in enumerate(steps)
            for field, message in _step_problems(step, fields)]


def _cleaned(step: StepData, position: int) -> ApprovalStep:
    """The step as stored: role and department only for ROLE_IN_DEPT, cents exact."""
    by_role = step.rule == ApproverRule.ROLE_IN_DEPT
    return ApprovalStep(
        position=position, name=step.name.strip(), rule=step.rule, mode=step.mode,
        meaning=step.meaning, role=step.role if by_role else None,
        department_id=step.department_id if by_role else None,
        condition_field=step.condition_field,
        threshold=step.threshold.quantize(CENT) if step.threshold is not None else None)


def _described(steps: list[ApprovalStep]) -> list[dict]:
    """The steps as the audit trail records them."""
    return [{field: getattr(step, field) for field in _AUDITED} for step in steps]


def save_steps(flow: ApprovalFlow, steps: list[StepData], actor: User) -> list[Problem]:
    """Replaces the flow's steps, numbered 1..n in the given order, and audits the change;
    refuses (returning the problems, changing nothing) what `problems` refuses."""
    found = problems(flow, steps)
    if found:
        return found
    new = [_cleaned(step, position) for position, step in enumerate(steps, start=1)]
    before, after = _described(flow.steps), _described(new)
    if after != before:
        flow.steps.clear()
        db.session.flush()  # the old rows go first: (flow_id, position) is unique
        flow.steps.extend(new)
        flow.updated_at = utcnow()
        audit.record("flow_updated", flow, changes={"steps": [before, after]}, actor=actor,
                     object_label=flow.name)
    return []
