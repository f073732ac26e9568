"""What every sales record shares: it belongs where its customer belongs.

A sales record carries its customer's owner, department and confidentiality (models.base
ScopedMixin) so that lists are scoped by indexed columns. Staff see their own customers' sales
records: when a customer changes owner — an approved transfer, the departure hand-over, an
approved change request or the edit of a draft — every record whose scope comes from it
follows, history included (closed contracts, their payments, done visits and their reports),
through `follow_owner`, the one place that moves them."""

from sqlalchemy import func, or_, select, update

from app.extensions import db
from app.models import (
    Contract,
    Customer,
    Level,
    Payment,
    Referral,
    SalesEntry,
    User,
    VisitPlan,
    VisitReport,
)


def inherit_scope(record, customer: Customer, level: Level | None = None) -> None:
    """Copies the customer's owner, department and confidentiality onto a sales record (a
    record may be more confidential than its customer, never less)."""
    record.owner_id = customer.owner_id
    record.department_id = customer.department_id
    record.confidentiality = max(customer.confidentiality, level or customer.confidentiality)


def _followers(customers) -> tuple:
    """(kind, model, condition) of every sales record whose scope comes from `customers` (a list
    of customer ids or a select of them): contracts, their payments, ledger rows, visit plans
    and reports, and the referrals the customers made."""
    contracts = select(Contract.id).where(Contract.customer_id.in_(customers))
    return (("contracts", Contract, Contract.customer_id.in_(customers)),
            ("payments", Payment, Payment.contract_id.in_(contracts)),
            ("sales_entries", SalesEntry, SalesEntry.customer_id.in_(customers)),
            ("visits", VisitPlan, VisitPlan.customer_id.in_(customers)),
            ("visit_reports", VisitReport, VisitReport.customer_id.in_(customers)),
            ("referrals", Referral, Referral.referrer_id.in_(customers)))


def follow_owner(customers, owner: User) -> dict[str, int]:
    """Gives every sales record of `customers` (ids, or a select of ids evaluated now: call it
    before the customers' own owner changes if the select depends on it) the new owner and
    their department, one UPDATE per kind; returns {kind: rows moved}. Rows already there are
    left alone; a contract's version moves on, so open edit forms see the change."""
    moved = {}
    for kind, model, condition in _followers(customers):
        values = {"owner_id": owner.id, "department_id": owner.department_id}
        if model is Contract:
            values["version"] = Contract.version + 1
        statement = (update(model)
                     .where(condition, or_(model.owner_id != owner.id,
                                           model.department_id != owner.department_id))
                     .values(**values).execution_options(synchronize_session="fetch"))
        moved[kind] = db.session.execute(statement).rowcount
    return moved


def above(customers, level: Level) -> int:
    """How many sales records of `customers` are more confidential than `level`: a new owner
    cleared only for `level` could not see them, so may not take the customers over."""
    counts = (select(func.count()).select_from(model).where(condition,
                                                            model.confidentiality > level)
              for _kind, model, condition in _followers(customers))
    return sum(db.session.scalar(count) for count in counts)
