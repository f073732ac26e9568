"""The records an imported row may name, as the importing user's policy allows: customers they
may register contracts for, contracts they may record sales under. Anything else, whether it
does not exist, lies outside their data scope or above their clearance, is not found: the
answer is the same, so a row never tells what the user may not know.

Answers are looked up a chunk at a time and kept for the whole file.
"""

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app import policy
from app.extensions import db
from app.models import Contract, Customer
from app.policy import Action
from app.services.customers import operations as customer_service
from app.services.imports.fields import code


class Customers:
    """Customers by number or name among those the user may edit (their own data scope)."""

    def __init__(self, actor):
        self.actor = actor
        self.by_number: dict[str, Customer | None] = {}
        self.by_key: dict[str, Customer | None] = {}

    def load(self, numbers: set[str], names: set[str]) -> None:
        """Looks up the numbers and names not asked for before, in one query."""
        numbers = {n for n in numbers if n not in self.by_number}
        keys = {customer_service.name_key(n) for n in names} - set(self.by_key)
        if not numbers and not keys:
            return
        query = (policy.scope(select(Customer), self.actor, Customer)
                 .where(or_(Customer.number.in_(numbers), Customer.name_key.in_(keys)))
                 .options(selectinload(Customer.owner)))
        self.by_number.update(dict.fromkeys(numbers))
        self.by_key.update(dict.fromkeys(keys))
        for customer in db.session.scalars(query):
            if policy.can(self.actor, Action.EDIT, customer):
                self.by_number[code(customer.number)] = customer
                self.by_key[customer.name_key] = customer

    def find(self, number: str | None, name: str | None) -> Customer | None:
        """The customer a row names by number (first) or by name; None if not found."""
        if number:
            return self.by_number.get(number)
        return self.by_key.get(customer_service.name_key(name)) if name else None


class Contracts:
    """Contracts by number among those the user may record sales under."""

    def __init__(self, actor):
        self.actor = actor
        self.by_number: dict[str, Contract | None] = {}

    def load(self, numbers: set[str]) -> None:
        """Looks up the numbers not asked for before, in one query."""
        numbers = {n for n in numbers if n not in self.by_number}
        if not numbers:
            return
        query = (policy.scope(select(Contract), self.actor, Contract)
                 .where(Contract.number.in_(numbers)).options(selectinload(Contract.customer)))
        self.by_number.update(dict.fromkeys(numbers))
        for contract in db.session.scalars(query):
            if policy.can(self.actor, Action.EDIT, contract):
                self.by_number[contract.number] = contract

    def find(self, number: str) -> Contract | None:
        """The contract of that number; None if not found."""
        return self.by_number.get(number)
