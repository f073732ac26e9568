"""The contract picker: the contracts a user may choose that match what they type — the
contract's number or name, or its customer's name, pinyin initials or number — newest first."""

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from app.models import Contract, ContractStatus, Customer
from app.services.core import search
from app.services.customers.picker import LIMIT, Found, customer_clause, first


def matching(scoped: Select, q: str, statuses: tuple[ContractStatus, ...] = (),
             limit: int = LIMIT) -> Found:
    """Contracts of `scoped` (a policy-scoped contract query), of `statuses` if given, matching
    `q`, newest first, their customers loaded (the options name them)."""
    q = q.strip()[:100]
    query = scoped.where(Contract.status.in_(statuses)) if statuses else scoped
    own, customers = search.match(Contract, q), customer_clause(q)
    if customers is not None:
        by_customer = Contract.customer_id.in_(select(Customer.id).where(customers))
        query = query.where(by_customer if own is None else or_(own, by_customer))
    query = query.options(joinedload(Contract.customer)).order_by(Contract.id.desc())
    return first(query, limit)
