"""Which steps apply to a record and who may sign each (resolved when the step starts)."""

import json
from dataclasses import asdict, dataclass
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import Role, User
from app.models.approvals import ApprovalFlow, ApprovalRequest, ApproverRule, StepMode
from app.services.core import record_kinds


@dataclass(frozen=True)
class FrozenStep:
    """A flow step as it was when the record was submitted."""

    position: int
    name: str
    rule: str
    mode: str
    meaning: str
    role: str | None = None
    department_id: int | None = None

    @property
    def is_all(self) -> bool:
        return self.mode == StepMode.ALL.value


def applicable_steps(flow: ApprovalFlow, numbers: dict[str, Decimal | None]) -> list[FrozenStep]:
    """The flow's steps whose condition holds for the record's numeric fields."""
    steps = []
    for step in flow.steps:
        if step.condition_field:
            value = numbers.get(step.condition_field)
            if value is None or step.threshold is None or value < step.threshold:
                continue
        steps.append(FrozenStep(step.position, step.name, step.rule.value, step.mode.value,
                                step.meaning.value, step.role.value if step.role else None,
                                step.department_id))
    return steps


def freeze(steps: list[FrozenStep]) -> str:
    return json.dumps([asdict(s) for s in steps], ensure_ascii=False)


def frozen_steps(request: ApprovalRequest) -> list[FrozenStep]:
    return [FrozenStep(**s) for s in json.loads(request.steps_json)]


def step_of(request: ApprovalRequest, position: int | None) -> FrozenStep | None:
    return next((s for s in frozen_steps(request) if s.position == position), None)


def current_step_name(request: ApprovalRequest) -> str:
    step = step_of(request, request.current_step)
    return step.name if step else ""


def next_step(request: ApprovalRequest) -> FrozenStep | None:
    later = [s for s in frozen_steps(request) if s.position > (request.current_step or 0)]
    return later[0] if later else None


def candidates(step: FrozenStep, department_id: int, submitter: User) -> list[User]:
    """Active users the step's rule names (before excluding the submitter). The rule "own
    department's manager, else the GM" is the record department's manager rule when the
    submitter is of that department, the GM's otherwise."""
    query = select(User).where(User.active.is_(True)).order_by(User.id)
    rule = ApproverRule(step.rule)
    if rule == ApproverRule.OWN_DEPT_MANAGER_ELSE_GM:
        own = department_id == submitter.department_id
        rule = ApproverRule.RECORD_DEPT_MANAGER if own else ApproverRule.GM
    if rule == ApproverRule.RECORD_DEPT_MANAGER:
        query = query.where(User.role == Role.MANAGER, User.department_id == department_id)
    elif rule == ApproverRule.SUBMITTER_DEPT_MANAGER:
        query = query.where(User.role == Role.MANAGER,
                            User.department_id == submitter.department_id)
    elif rule == ApproverRule.GM:
        query = query.where(User.role == Role.GM)
    else:
        query = query.where(User.role == Role(step.role), User.department_id == step.department_id)
    return list(db.session.scalars(query))


def signers_for(step: FrozenStep, request: ApprovalRequest) -> list[User]:
    """Who signs: the rule's users cleared for the record, never the submitter.

    When nobody is left (a manager submitting their own department's record), the general
    manager signs instead, as the next level up. A kind that names its own signers (account
    grants: the two-person rule) is asked instead of the flow's rule.
    """
    kind = record_kinds.kind_of(request.record_type)
    own = getattr(kind, "signers", None)
    if own is not None:
        return own(kind.load(request.record_id), request)

    def eligible(users):
        return [u for u in users if u.id != request.submitted_by_id
                and u.clearance >= request.confidentiality]

    signers = eligible(candidates(step, request.department_id, request.submitted_by))
    if not signers:
        gm_step = FrozenStep(step.position, step.name, ApproverRule.GM.value, step.mode,
                             step.meaning)
        signers = eligible(candidates(gm_step, request.department_id, request.submitted_by))
    return signers
