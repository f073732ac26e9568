"""Every authorization rule, in one place (deny by default).

- can(user, action, target): for one record; given a model class or an area name, for the area
  (lists, create buttons, navigation).
- scope(query, user, Model, action): the WHERE clause for lists and counts of that model.
- load(Model, id, action): the loader views use: 404 when the user may not know the record
  exists (clearance, data scope), 403 when they may see it but not do `action`.

A record above the user's clearance does not exist for them, whatever else the rules say.
The rules of each domain live beside this file (customers.py, approvals.py, sales.py,
admin.py; a department registers its own with `register`); this module is the only door to
them.
"""

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, bindparam, false, select

from app.extensions import db
from app.models import (
    AccountGrant,
    ApprovalFlow,
    ApprovalRequest,
    AuditEvent,
    Contact,
    Customer,
    DeptCode,
    ImportBatch,
    Role,
    User,
)
from app.models.accounts import BUSINESS_ROLES
from app.policy.actions import Action
from app.policy.admin import AuditRules, GrantRules, UserRules
from app.policy.approvals import ApprovalRules, FlowRules
from app.policy.customers import CustomerRules
from app.policy.follows import FollowsRules
from app.policy.imports import ImportRules
from app.policy.imports import areas as import_areas
from app.services.core import audit


def _cleared(user, obj) -> bool:
    """Records carry `confidentiality`; approval requests carry their record's level."""
    level = getattr(obj, "confidentiality", None)
    return level is None or level <= user.clearance


# The platform's rules; each department adds its models' rules with `register` (its plug_in).
_RULES = {Customer: CustomerRules(), User: UserRules(), AuditEvent: AuditRules(),
          AccountGrant: GrantRules(),
          ApprovalRequest: ApprovalRules(), ApprovalFlow: FlowRules(),
          Contact: FollowsRules("customer", Customer),
          ImportBatch: ImportRules()}


def register(rules: dict) -> None:
    """Adds a department's rules: {Model: rules object with area, record and scope}."""
    _RULES.update(rules)


def _department_area(code: DeptCode):
    return lambda user, action: action == Action.VIEW and (
        user.role == Role.GM or (user.role in BUSINESS_ROLES and user.in_department(code)))


# Department workspaces (navigation); those not built yet show a "coming" page.
AREAS = {
    "sales": _department_area(DeptCode.SALES),
    "service": _department_area(DeptCode.SERVICE),
    "risk": _department_area(DeptCode.RISK),
    "archive": lambda user, action: action == Action.VIEW and user.role in (
        Role.ARCHIVIST, Role.GM),
    **import_areas(),  # each department's import pages: imports.sales, imports.service...
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


def allowed_rows(user, action: Action, model, rows) -> set[int]:
    """The ids of `rows` on which `user` may do `action`: records of `model` read as rows of
    columns (a list page's), each carrying every column the model's rule reads of a record
    (its owner, department, confidentiality, and whatever else the rule names); the same rule
    as can() on the record itself."""
    rules = _RULES.get(model)
    if rules is None or not _signed_in(user):
        return set()
    return {row.id for row in rows if _cleared(user, row) and rules.record(user, action, row)}


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


# (model, id of a tuple of loader options) -> (the tuple, the statement loading one record with
# them): session.get builds that statement anew on every call, which with a page's eager loads
# costs more than running it. The tuple is kept with it, so that its id names it while kept.
_LOADING: dict[tuple, tuple] = {}
_LOADING_MAX = 256


def _get(model, record_id: int, options):
    """The record by id with its loader options (a module's tuple of them, or none, is built
    into a statement once; other options go through session.get)."""
    if not isinstance(options, tuple):
        return db.session.get(model, record_id, options=options)
    key = (model, id(options))
    found = _LOADING.get(key)
    if found is None:
        if len(_LOADING) >= _LOADING_MAX:
            _LOADING.clear()
        statement = select(model).where(model.id == bindparam("record_id")).options(*options)
        found = _LOADING[key] = (options, statement)
    return db.session.execute(found[1], {"record_id": record_id}).unique().scalar_one_or_none()


def load(model, record_id: int, action: Action = Action.VIEW, options=()):
    """The record for a view: 404 if the user may not know it exists, 403 if not `action`.
    `options` (selectinload, joinedload...) load what the page shows with the record itself."""
    obj = _get(model, record_id, options)
    if obj is None:
        abort(404)
    if not (can(current_user, Action.VIEW, obj) or can(current_user, Action.VIEW_CARD, obj)):
        deny(404, obj, action)
    if not can(current_user, action, obj):
        deny(403, obj, action)
    return obj
