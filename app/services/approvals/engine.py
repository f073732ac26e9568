"""The approval engine: submit, sign, reject, withdraw. Record kinds plug in as adapters.

Submitting freezes the record: its canonical snapshot is stored and hashed, and the flow's
applicable steps are frozen. Each signature re-checks the password, refuses the submitter and
anyone the current step did not assign, and chains to the previous signature's hash.
"""

from decimal import Decimal
from typing import Protocol

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.extensions import db
from app.models import Role, User
from app.models.approvals import (
    ApprovalAssignment,
    ApprovalFlow,
    ApprovalRequest,
    Decision,
    RequestStatus,
    Signature,
)
from app.models.base import utcnow
from app.policy.approvals import open_assignment
from app.services.approvals.signatures import content_hash, signature_hash
from app.services.approvals.steps import (
    FrozenStep,
    applicable_steps,
    candidates,
    freeze,
    next_step,
    signers_for,
    step_of,
)
from app.services.core import accounts, audit, notifications, record_kinds
from app.services.core.audit import canonical_json
from app.services.core.errors import Refused
from app.services.core.record_kinds import RecordKind


class ApprovalKind(RecordKind, Protocol):
    """What the engine needs beyond a record kind: the figures flow conditions test, and what
    happens to the record when it is submitted, approved or returned."""

    def numbers(self, record) -> dict[str, Decimal | None]: ...
    def submitted(self, record, request: ApprovalRequest) -> None: ...
    def approved(self, record, request: ApprovalRequest) -> None: ...
    def returned(self, record, request: ApprovalRequest) -> None: ...


_KINDS: dict[str, ApprovalKind] = {}
_LABELS: dict[str, str] = {}


def register(flow_kind: str, kind: ApprovalKind, label) -> None:
    """Plugs a flow in (a domain's plug_in calls it), and its kind of record into the record
    kinds registry; `label` (lazily translated) names the flow to users."""
    _KINDS[flow_kind] = kind
    _LABELS[flow_kind] = label
    record_kinds.register(kind)


def flow_label(flow_kind: str) -> str:
    return str(_LABELS.get(flow_kind, flow_kind))


def flow_kinds() -> dict[str, str]:
    return dict(_LABELS)


def kind_of(request: ApprovalRequest) -> ApprovalKind:
    return _KINDS[request.flow_kind]


def record_of(request: ApprovalRequest):
    return kind_of(request).load(request.record_id)


def subject_of(request: ApprovalRequest):
    """The business record a request is about: the record itself, or the one a change changes."""
    return kind_of(request).subject(record_of(request))


class ApprovalError(Refused):
    """A refusal to show the user, with the HTTP status that fits it."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.status = status


def pending_request(record_type: str, record_id: int) -> ApprovalRequest | None:
    query = select(ApprovalRequest).where(ApprovalRequest.record_type == record_type,
                                          ApprovalRequest.record_id == record_id,
                                          ApprovalRequest.status == RequestStatus.PENDING)
    return db.session.scalar(query)


def submit(flow_kind: str, record, submitter: User) -> ApprovalRequest:
    """Freezes the record and starts the flow; refuses a second pending request."""
    request, steps = _open_request(flow_kind, record, submitter)
    _start_step(request, steps[0])
    _submitted(request, record)
    return request


def verify_signer(user: User, password: str) -> None:
    """Raises ApprovalError (422) unless `password` is the user's; a failure counts toward
    the signing lock (its own, not the sign-in's), so the caller commits before anything else
    is written."""
    error = accounts.check_signing_password(user, password)
    if error:
        raise ApprovalError(error, 422)


def decide(flow_kind: str, records: list, decider: User,
           comment: str = "") -> list[ApprovalRequest]:
    """The approver's own decision on records they change themselves (a departed owner's
    hand-over), after `verify_signer`: each record gets a request the decider opens and signs
    at once. Refuses a decider whom the first step does not name; later steps, if an
    administrator adds any, wait for their signers as usual."""
    return [_decide_one(flow_kind, record, decider, comment) for record in records]


def _decide_one(flow_kind: str, record, decider: User, comment: str) -> ApprovalRequest:
    request, steps = _open_request(flow_kind, record, decider)
    first = steps[0]
    if not _names(first, request, decider):
        raise ApprovalError(_("您不是「%(step)s」的审批人。", step=first.name), 403)
    request.current_step = first.position
    db.session.add(ApprovalAssignment(request_id=request.id, step=first.position,
                                      user_id=decider.id, done=True))
    _submitted(request, record)
    _record_signature(request, record, decider, Decision.APPROVE, comment)
    following = next_step(request)
    if following:
        _start_step(request, following)
    else:
        _finish(request, record, RequestStatus.APPROVED, comment)
    return request


def _names(step: FrozenStep, request: ApprovalRequest, user: User) -> bool:
    """Does the step's rule name the user for this request (the GM being the level above
    every step, as when nobody else may sign)?"""
    named = user.role == Role.GM or user in candidates(step, request.department_id, user)
    return named and user.clearance >= request.confidentiality


def _open_request(flow_kind: str, record, submitter: User):
    """The frozen request for the record and its applicable steps; refuses a record with no
    applicable step or already in approval."""
    kind = _KINDS[flow_kind]
    flow = db.session.scalar(select(ApprovalFlow).where(ApprovalFlow.kind == flow_kind))
    steps = applicable_steps(flow, kind.numbers(record)) if flow else []
    if not steps:
        raise ApprovalError(_("没有适用的审批流程，请联系系统管理员配置。"))
    if pending_request(kind.record_type, record.id):
        raise ApprovalError(_("该记录已在审批中。"))
    snapshot = kind.snapshot(record)
    request = ApprovalRequest(
        flow_kind=flow_kind, record_type=kind.record_type, record_id=record.id,
        title=kind.title(record)[:200], department_id=kind.department_id(record),
        confidentiality=kind.level(record), submitted_by=submitter, status=RequestStatus.PENDING,
        steps_json=freeze(steps), snapshot=canonical_json(snapshot),
        content_hash=content_hash(snapshot), lock_version=0)
    db.session.add(request)
    db.session.flush()
    return request, steps


def _submitted(request: ApprovalRequest, record) -> None:
    kind_of(request).submitted(record, request)
    audit.record("approval_submitted", record, changes={
        "request": request.id, "flow": request.flow_kind, "content_hash": request.content_hash})


def _start_step(request: ApprovalRequest, step: FrozenStep) -> None:
    signers = signers_for(step, request)
    if not signers:
        raise ApprovalError(_("审批步骤「%(step)s」没有可以签字的人员，"
                              "请联系系统管理员调整审批流程。", step=step.name), 422)
    request.current_step = step.position
    for user in signers:  # the inbox and its counter tell them; no notice per request
        db.session.add(ApprovalAssignment(request_id=request.id, step=step.position,
                                          user_id=user.id, done=False))


def _lock(request: ApprovalRequest) -> None:
    """Takes the request's row lock (PostgreSQL) or the write lock (SQLite), then re-reads it,
    so that concurrent signers of one request act one after the other."""
    db.session.execute(update(ApprovalRequest).where(ApprovalRequest.id == request.id)
                       .values(lock_version=ApprovalRequest.lock_version + 1)
                       .execution_options(synchronize_session=False))
    db.session.refresh(request)


def sign(request: ApprovalRequest, signer: User, decision: Decision, comment: str,
         password: str) -> Signature:
    """Signs the current step after re-checking the password; refuses the submitter, anyone not
    assigned, a finished request and content that no longer matches what was submitted."""
    verify_signer(signer, password)
    return sign_verified(request, signer, decision, comment)


def sign_verified(request: ApprovalRequest, signer: User, decision: Decision,
                  comment: str) -> Signature:
    """`sign` once `verify_signer` has accepted the signer's password in this same request
    (batch signing checks it once for all its items); the same refusals."""
    _lock(request)
    if request.status != RequestStatus.PENDING:
        raise ApprovalError(_("该审批已经结束，无需再签。"))
    if signer.id == request.submitted_by_id:
        raise ApprovalError(_("不能审批自己提交的记录。"), 403)
    assignment = open_assignment(request, signer)
    if assignment is None:
        raise ApprovalError(_("您不是当前步骤的审批人。"), 403)
    if decision == Decision.REJECT and not (comment or "").strip():
        raise ApprovalError(_("驳回时请填写意见，说明需要修改的内容。"), 422)
    kind, record = kind_of(request), record_of(request)
    if content_hash(kind.snapshot(record)) != request.content_hash:
        raise ApprovalError(_("记录内容已与提交时不一致（签字失效），不能签字。"))
    assignment.done = True
    signature = _record_signature(request, record, signer, decision, comment)
    if decision == Decision.REJECT:
        _finish(request, record, RequestStatus.REJECTED, comment)
    elif _step_complete(request):
        following = next_step(request)
        if following:
            _close_step(request)
            _start_step(request, following)
        else:
            _finish(request, record, RequestStatus.APPROVED, comment)
    return signature


def _record_signature(request, record, signer, decision, comment) -> Signature:
    signature = _add_signature(request, signer, decision, comment)
    db.session.flush()
    audit.record("approval_signed", record, changes={
        "request": request.id, "step": request.current_step, "decision": decision,
        "meaning": signature.meaning})
    return signature


def _add_signature(request, signer, decision, comment) -> Signature:
    step = step_of(request, request.current_step)
    previous = request.signatures[-1].hash if request.signatures else request.content_hash
    signature = Signature(request_id=request.id, step=step.position, step_name=step.name,
                          signer_id=signer.id, signer_name=signer.full_name,
                          signer_employee_no=signer.employee_no, meaning=step.meaning,
                          decision=decision, comment=(comment or "").strip() or None,
                          signed_at=utcnow(), content_hash=request.content_hash,
                          prev_hash=previous)
    signature.hash = signature_hash(signature, request)
    db.session.add(signature)
    request.signatures.append(signature)
    return signature


def _step_complete(request: ApprovalRequest) -> bool:
    step = step_of(request, request.current_step)
    if not step.is_all:
        return True
    waiting = [a for a in request.assignments if a.step == step.position and not a.done]
    return not waiting


def _close_step(request: ApprovalRequest) -> None:
    for assignment in request.assignments:
        if assignment.step == request.current_step:
            assignment.done = True


def _finish(request, record, status: RequestStatus, comment: str | None) -> None:
    _close_step(request)
    request.status = status
    request.decided_at = utcnow()
    kind = kind_of(request)
    decided_by_submitter = any(s.signer_id == request.submitted_by_id
                               for s in request.signatures)
    if status == RequestStatus.APPROVED:
        kind.approved(record, request)
        if not decided_by_submitter:  # nobody is told of their own decision
            notifications.notify(request.submitted_by_id, "approval_approved",
                                 kind.link(record), title=request.title)
    else:
        kind.returned(record, request)
        if status == RequestStatus.REJECTED:
            notifications.notify(request.submitted_by_id, "approval_rejected", kind.link(record),
                                 title=request.title, comment=comment or "")
    audit.record(f"approval_{status.value}", record, changes={"request": request.id})


def withdraw(request: ApprovalRequest, user: User) -> None:
    """The submitter takes a request back before anyone has signed it."""
    _lock(request)
    if user.id != request.submitted_by_id:
        raise ApprovalError(_("只有提交人可以撤回。"), 403)
    if request.status != RequestStatus.PENDING or request.signatures:
        raise ApprovalError(_("已有人签字或审批已结束，不能撤回。"))
    _finish(request, record_of(request), RequestStatus.WITHDRAWN, None)
