"""Sales records: staff see their own customers' records, managers their department's, the GM
all (read-only); other departments none. Contacts follow their customer; a customer transfer
request is seen by its requester, the current owner, the owner's manager and the GM."""

from sqlalchemy import Select, false, or_, select

from app.models import (
    Contract,
    ContractChange,
    Customer,
    DeptCode,
    OwnershipRequest,
    Payment,
    Referral,
    Role,
    SalesEntry,
    VisitPlan,
    VisitReport,
)
from app.models.sales.ledger import ReversalRequest
from app.policy.actions import Action
from app.policy.follows import FollowsRules

SALES_ROLES = (Role.STAFF, Role.MANAGER)


def in_sales(user) -> bool:
    """Sales staff and managers; the GM reads everything."""
    return user.role == Role.GM or (user.role in SALES_ROLES
                                    and user.in_department(DeptCode.SALES))


def sells(user) -> bool:
    """Sales staff and managers: they create and change sales records."""
    return user.role in SALES_ROLES and user.in_department(DeptCode.SALES)


class ScopedRules:
    """Records carrying owner_id / department_id / confidentiality (models.accounts.ScopedMixin)."""

    def __init__(self, model):
        self.model = model

    def area(self, user, action) -> bool:
        if action in (Action.VIEW, Action.EXPORT):
            return in_sales(user)
        return action == Action.CREATE and sells(user)

    def record(self, user, action, obj) -> bool:
        if not self._in_scope(user, obj):
            return False
        if action in (Action.VIEW, Action.EXPORT, Action.PRINT):
            return True
        return action in (Action.EDIT, Action.SUBMIT) and sells(user)

    @staticmethod
    def _in_scope(user, obj) -> bool:
        if user.role == Role.STAFF:
            return obj.owner_id == user.id and user.in_department(DeptCode.SALES)
        if user.role == Role.MANAGER:
            return obj.department_id == user.department_id
        return user.role == Role.GM

    def scope(self, query: Select, user, action) -> Select:
        if not in_sales(user):
            return query.where(false())
        if user.role == Role.STAFF:
            return query.where(self.model.owner_id == user.id)
        if user.role == Role.MANAGER:
            return query.where(self.model.department_id == user.department_id)
        return query


class MoneyRules(ScopedRules):
    """Payments and ledger rows: money is never edited or deleted, it is corrected by reversal
    (红冲). Who may reverse: whoever may record the row — sales staff on their own customers'
    rows, managers on their department's — since a reversal is the mirror of recording (which
    needs no approval), leaves the original visible struck through with its reason, and is
    audited; above the threshold (REVERSAL_APPROVAL_ABOVE) the reversal also waits for the
    department manager's signature (services.sales.ledger.reversals). A reversal row itself is
    never changed or reversed; the GM reads only."""

    def record(self, user, action, obj) -> bool:
        if action == Action.EDIT and obj.reverses_id is not None:
            return False
        return super().record(user, action, obj)


class OwnershipRules:
    """Only those who can own a customer — sales staff and managers — ask for one, for
    themselves (the customer, and so its department, goes to them): departments whose people
    cannot own customers and the GM are not offered the request, and only the sales
    department and the GM have requests to list. A request is seen by the asker, the current
    owner, their department's manager and the GM. The decision is an approval."""

    def area(self, user, action) -> bool:
        if action == Action.CREATE:
            return sells(user)
        return action == Action.VIEW and in_sales(user)

    def record(self, user, action, request) -> bool:
        if action != Action.VIEW:
            return False
        return (user.id in (request.requested_by_id, request.from_owner_id)
                or user.role == Role.GM
                or (user.role == Role.MANAGER
                    and request.customer.department_id == user.department_id))

    def scope(self, query: Select, user, action) -> Select:
        """The same requests as `record`: the GM's all; the asker's and the owner's; a
        manager's also every request about a customer of their department."""
        if user.role == Role.GM:
            return query
        theirs = or_(OwnershipRequest.requested_by_id == user.id,
                     OwnershipRequest.from_owner_id == user.id)
        if user.role == Role.MANAGER:
            departments = select(Customer.id).where(
                Customer.id == OwnershipRequest.customer_id,
                Customer.department_id == user.department_id
            ).correlate(OwnershipRequest).exists()  # not a Customer the outer query joins
            theirs = or_(theirs, departments)
        return query.where(theirs)


def rules() -> dict:
    """The sales department's models and their rules, for policy.register."""
    return {ContractChange: FollowsRules("contract", Contract),
            OwnershipRequest: OwnershipRules(),
            ReversalRequest: FollowsRules("original", Payment),
            **{model: MoneyRules(model) for model in (SalesEntry, Payment)},
            **{model: ScopedRules(model) for model in (Contract, VisitPlan, VisitReport,
                                                       Referral)}}
