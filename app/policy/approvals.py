"""Approval requests and flows."""

from sqlalchemy import Select, false, select

from app.extensions import db
from app.models import (
    GRANT_FLOW,
    AccountGrant,
    ApprovalAssignment,
    ApprovalRequest,
    RequestStatus,
    Role,
)
from app.models.accounts import BUSINESS_ROLES
from app.policy.actions import Action
from app.policy.admin import GRANT_APPROVER_ROLES, may_approve_grant
from app.services.core import record_kinds


class ApprovalRules:
    """Requests are seen by their submitter, their approvers, whoever may see the record in
    full, and the GM; signing is for the approvers the current step is waiting for. Account
    grants are the one kind administrators take part in (see _grant_request)."""

    def area(self, user, action) -> bool:
        return action == Action.VIEW and (user.role in BUSINESS_ROLES or user.role == Role.ADMIN)

    def record(self, user, action, request) -> bool:
        if request.flow_kind == GRANT_FLOW:
            return _grant_request(user, action, request)
        if user.role not in BUSINESS_ROLES:
            return False
        if action == Action.VIEW_CARD:  # knowing it exists, like a customer's basic card
            return True
        if action in (Action.VIEW, Action.PRINT):
            from app.policy import can  # the record's own rule decides who sees it in full

            return (user.id == request.submitted_by_id or user.role == Role.GM
                    or _assigned(user, request)
                    or can(user, Action.VIEW, _subject(request)))
        if action == Action.APPROVE:
            return is_open_for(request, user)
        if action == Action.SUBMIT:  # withdrawing one's own submission
            return user.id == request.submitted_by_id
        return False

    def scope(self, query: Select, user, action) -> Select:
        """APPROVE: the inbox (steps waiting for the user); VIEW: the user's submissions."""
        if user.role == Role.ADMIN:
            query = query.where(ApprovalRequest.flow_kind == GRANT_FLOW)
        elif user.role not in BUSINESS_ROLES:
            return query.where(false())
        if action == Action.APPROVE:
            waiting = select(ApprovalAssignment.request_id).where(
                ApprovalAssignment.user_id == user.id, ApprovalAssignment.done.is_(False),
                ApprovalAssignment.step == ApprovalRequest.current_step)
            return query.where(ApprovalRequest.id.in_(waiting),
                               ApprovalRequest.status == RequestStatus.PENDING)
        return query.where(ApprovalRequest.submitted_by_id == user.id)


def _grant_request(user, action, request) -> bool:
    """A grant's request: read by administrators and the GM, signed only by an approver the
    step waits for who may still approve it now (a GM demoted since cannot), withdrawn by its
    requester."""
    if user.role not in GRANT_APPROVER_ROLES:
        return False
    if action in (Action.VIEW, Action.VIEW_CARD, Action.PRINT):
        return True
    if action == Action.APPROVE:
        grant = db.session.get(AccountGrant, request.record_id)
        return is_open_for(request, user) and grant is not None and may_approve_grant(user, grant)
    return action == Action.SUBMIT and user.id == request.submitted_by_id


def _assigned(user, request) -> bool:
    return any(a.user_id == user.id for a in request.assignments)


class FlowRules:
    """Approval flows are settings: administrators only."""

    def area(self, user, action) -> bool:
        return user.role == Role.ADMIN and action in (Action.VIEW, Action.MANAGE)

    def record(self, user, action, flow) -> bool:
        """The grant flow cannot be edited: its approvers are the two-person rule's."""
        if action == Action.MANAGE and flow.kind == GRANT_FLOW:
            return False
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if self.area(user, action) else query.where(false())


def _subject(request: ApprovalRequest):
    """The business record the request is about: the record itself, or the one a change
    changes (the record kinds registry knows how to find it)."""
    return record_kinds.subject_of(request.record_type, request.record_id)


def open_assignment(request: ApprovalRequest, user) -> ApprovalAssignment | None:
    """The user's unsigned assignment in the request's current step, if any."""
    return db.session.scalar(select(ApprovalAssignment).where(
        ApprovalAssignment.request_id == request.id,
        ApprovalAssignment.step == request.current_step,
        ApprovalAssignment.user_id == user.id, ApprovalAssignment.done.is_(False)))


def is_open_for(request: ApprovalRequest, user) -> bool:
    """Does the current step wait for this user's signature?"""
    return (request.status == RequestStatus.PENDING and user.id != request.submitted_by_id
            and open_assignment(request, user) is not None)
