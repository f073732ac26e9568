"""Every authorization rule, in one place (deny by default).

- can(user, action, target): for one record; given a model class or an area name, for the area
  (lists, create buttons, navigation).
- scope(query, user, Model, action): the WHERE clause for lists and counts of that model.
- load(Model, id, action): the loader views use: 404 when the user may not know the record
  exists (clearance, data scope), 403 when they may see it but not do `action`.

A record above the user's clearance does not exist for them, whatever else the rules say.
"""

from enum import StrEnum

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, false, select

from app.extensions import db
from app.models import (
    ApprovalAssignment,
    ApprovalFlow,
    ApprovalRequest,
    AuditEvent,
    Customer,
    CustomerStatus,
    DeptCode,
    RequestStatus,
    Role,
    User,
)
from app.models.accounts import BUSINESS_ROLES
from app.services import approvals, audit


class Action(StrEnum):
    VIEW = "view"  # the full record
    VIEW_CARD = "view_card"  # the basic card every department may see (customers)
    CREATE = "create"
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    PRINT = "print"
    EXPORT = "export"
    FILE = "file"
    BORROW = "borrow"
    DISPOSE = "dispose"
    REVEAL_PII = "reveal_pii"
    MANAGE = "manage"  # users and settings


def _cleared(user, obj) -> bool:
    """Records carry `confidentiality`; approval requests carry their record's level."""
    level = getattr(obj, "confidentiality", None)
    return level is None or level <= user.clearance


class CustomerRules:
    """Cards are shared with every business role; the full profile follows the data scope."""

    def area(self, user, action) -> bool:
        if action in (Action.VIEW, Action.VIEW_CARD):
            return user.role in BUSINESS_ROLES
        if action == Action.CREATE:
            return user.role in (Role.STAFF, Role.MANAGER) and user.in_department(DeptCode.SALES)
        return False

    def record(self, user, action, customer) -> bool:
        if action == Action.VIEW_CARD:
            return user.role in BUSINESS_ROLES
        in_scope = self._in_scope(user, customer)
        if action == Action.VIEW:
            return in_scope
        if action == Action.EDIT:
            return in_scope and user.role in (Role.STAFF, Role.MANAGER)
        if action == Action.REVEAL_PII:
            return in_scope and user.role in (Role.STAFF, Role.MANAGER, Role.GM)
        if action == Action.SUBMIT:
            return (in_scope and user.role in (Role.STAFF, Role.MANAGER)
                    and customer.status == CustomerStatus.DRAFT)
        if action == Action.PRINT:
            return in_scope and user.role in (Role.STAFF, Role.MANAGER, Role.GM)
        return False

    @staticmethod
    def _in_scope(user, customer) -> bool:
        if user.role == Role.STAFF:
            return customer.owner_id == user.id
        if user.role == Role.MANAGER:
            return customer.department_id == user.department_id
        return user.role == Role.GM

    def scope(self, query: Select, user, action) -> Select:
        if user.role not in BUSINESS_ROLES:
            return query.where(false())
        if action == Action.VIEW_CARD:
            return query
        if user.role == Role.STAFF:
            return query.where(Customer.owner_id == user.id)
        if user.role == Role.MANAGER:
            return query.where(Customer.department_id == user.department_id)
        return query if user.role == Role.GM else query.where(false())


class ApprovalRules:
    """Requests are seen by their submitter, their approvers, whoever may see the record in
    full, and the GM; signing is for the approvers the current step is waiting for."""

    def area(self, user, action) -> bool:
        return action == Action.VIEW and user.role in BUSINESS_ROLES

    def record(self, user, action, request) -> bool:
        if user.role not in BUSINESS_ROLES:
            return False
        if action == Action.VIEW_CARD:  # knowing it exists, like a customer's basic card
            return True
        if action in (Action.VIEW, Action.PRINT):
            return (user.id == request.submitted_by_id or user.role == Role.GM
                    or _assigned(user, request)
                    or can(user, Action.VIEW, approvals.subject_of(request)))
        if action == Action.APPROVE:
            return approvals.is_open_for(request, user)
        if action == Action.SUBMIT:  # withdrawing one's own submission
            return user.id == request.submitted_by_id
        return False

    def scope(self, query: Select, user, action) -> Select:
        """APPROVE: the inbox (steps waiting for the user); VIEW: the user's submissions."""
        if user.role not in BUSINESS_ROLES:
            return query.where(false())
        if action == Action.APPROVE:
            waiting = select(ApprovalAssignment.request_id).where(
                ApprovalAssignment.user_id == user.id, ApprovalAssignment.done.is_(False),
                ApprovalAssignment.step == ApprovalRequest.current_step)
            return query.where(ApprovalRequest.id.in_(waiting),
                               ApprovalRequest.status == RequestStatus.PENDING)
        return query.where(ApprovalRequest.submitted_by_id == user.id)


def _assigned(user, request) -> bool:
    return any(a.user_id == user.id for a in request.assignments)


class FlowRules:
    """Approval flows are settings: administrators only."""

    def area(self, user, action) -> bool:
        return user.role == Role.ADMIN and action in (Action.VIEW, Action.MANAGE)

    def record(self, user, action, flow) -> bool:
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if self.area(user, action) else query.where(false())


class UserRules:
    """Accounts are the administrators' business only."""

    def area(self, user, action) -> bool:
        return user.role == Role.ADMIN and action in (Action.VIEW, Action.CREATE, Action.MANAGE)

    def record(self, user, action, target) -> bool:
        return user.role == Role.ADMIN and action in (Action.VIEW, Action.EDIT, Action.MANAGE)

    def scope(self, query: Select, user, action) -> Select:
        return query if user.role == Role.ADMIN else query.where(false())


class AuditRules:
    """The audit trail is read by auditors only, and written by nobody through the UI."""

    def area(self, user, action) -> bool:
        return user.role == Role.AUDITOR and action == Action.VIEW

    def record(self, user, action, event) -> bool:
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if self.area(user, action) else query.where(false())


_RULES = {Customer: CustomerRules(), User: UserRules(), AuditEvent: AuditRules(),
          ApprovalRequest: ApprovalRules(), ApprovalFlow: FlowRules()}


def _department_area(code: DeptCode):
    return lambda user, action: action == Action.VIEW and (
        user.role == Role.GM or (user.role in BUSINESS_ROLES and user.in_department(code)))


# Department workspaces that are not built yet: who will use them sees a "coming" page.
AREAS = {
    "sales": _department_area(DeptCode.SALES),
    "service": _department_area(DeptCode.SERVICE),
    "risk": _department_area(DeptCode.RISK),
    "archive": lambda user, action: action == Action.VIEW and user.role in (
        Role.ARCHIVIST, Role.GM),
}


def _signed_in(user) -> bool:
    return bool(user) and user.is_authenticated and user.is_active


def can(user, action: Action, target) -> bool:
    """May `user` do `action` on a record, a model's area (class) or a named area?"""
    if not _signed_in(user):
        return False
    if isinstance(target, str):
        rule = AREAS.get(target)
        return bool(rule and rule(user, action))
    if isinstance(target, type):
        rules = _RULES.get(target)
        return bool(rules and rules.area(user, action))
    rules = _RULES.get(type(target))
    return bool(rules and _cleared(user, target) and rules.record(user, action, target))


def scope(query: Select, user, model, action: Action = Action.VIEW) -> Select:
    """Restricts a list query to the rows `user` may see for `action`."""
    rules = _RULES.get(model)
    if rules is None or not _signed_in(user):
        return query.where(false())
    query = rules.scope(query, user, action)
    if hasattr(model, "confidentiality"):
        query = query.where(model.confidentiality <= user.clearance)
    return query


def deny(status: int, target=None, action: Action | None = None):
    """Records the refusal in the audit trail, then aborts with 403 or 404."""
    if isinstance(target, str | type):
        name = target if isinstance(target, str) else target.__name__
        audit.record("access_denied", object_type="area", object_label=name,
                     changes={"action": action, "status": status})
    else:
        audit.record("access_denied", target, changes={"action": action, "status": status})
    db.session.commit()
    abort(status)


def require(action: Action, target) -> None:
    """Aborts with 403 unless the current user may do `action` on the area `target`."""
    if not can(current_user, action, target):
        deny(403, target, action)


def load(model, record_id: int, action: Action = Action.VIEW):
    """The record for a view: 404 if the user may not know it exists, 403 if not `action`."""
    obj = db.session.get(model, record_id)
    if obj is None:
        abort(404)
    if not (can(current_user, Action.VIEW, obj) or can(current_user, Action.VIEW_CARD, obj)):
        deny(404, obj, action)
    if not can(current_user, action, obj):
        deny(403, obj, action)
    return obj
