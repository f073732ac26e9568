"""Customer master rules: the basic card is shared, the full profile follows the data scope."""

from sqlalchemy import Select, false

from app.models import Customer, CustomerStatus, DeptCode, Role
from app.models.accounts import BUSINESS_ROLES
from app.policy.actions import Action


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
