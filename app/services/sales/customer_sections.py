"""The sales department's sections of a customer's page: its contracts, what it owes (and how
much is overdue), its visits. Each counts and lists only what the viewer's own sales lists would
show them (policy.scope), in a fixed number of statements whatever the number of rows."""

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from app import policy
from app.extensions import db
from app.models import Contract, Customer, User, VisitPlan, VisitReport, VisitStatus
from app.policy import Action
from app.services.core.notifications import Link
from app.services.customers.related import RelatedSection
from app.services.sales.ledger import receivables
from app.timeutil import local_today

SHOWN = 5  # rows of each list on the customer's page; the section links to the whole list


def _scoped(model, customer: Customer, viewer: User) -> Select:
    return policy.scope(select(model).where(model.customer_id == customer.id), viewer, model)


def _first(query: Select, *order_by) -> tuple[list, int]:
    """The first SHOWN rows of `query` (one entity, many-to-one eager loads at most) in this
    order and how many rows it has in all, in one statement: the count rides along as a
    window over the whole filtered set, computed before the LIMIT."""
    rows = db.session.execute(query.add_columns(func.count().over())
                              .order_by(*order_by).limit(SHOWN)).all()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


class ContractSection:
    """该客户的销售合同: the latest contracts, with their state and amount."""

    def section(self, customer: Customer, viewer: User) -> RelatedSection | None:
        if not policy.can(viewer, Action.VIEW, Contract):
            return None
        rows, total = _first(_scoped(Contract, customer, viewer)
                             .options(joinedload(Contract.owner)), Contract.id.desc())
        return RelatedSection(
            "customer-contracts", _("销售合同"), "sales/contract/_customer_section.html",
            rows=rows, total=total,
            more_link=Link("sales.contract_list", {"customer_id": customer.id}))


class ReceivableSection:
    """该客户的应收账款: outstanding and overdue on its contracts in force, and the open terms
    due first."""

    def section(self, customer: Customer, viewer: User) -> RelatedSection | None:
        if not policy.can(viewer, Action.VIEW, Contract):
            return None
        owed = receivables.customer_owed(_scoped(Contract, customer, viewer), customer.id,
                                         local_today(), SHOWN)
        return RelatedSection(
            "customer-receivables", _("应收账款"), "sales/receivables/_customer_section.html",
            rows=owed.terms, total=owed.count,
            data={"owed": {"total": owed.total, "overdue": owed.overdue}},
            more_link=Link("sales.receivables_list", {"customer": customer.id}))


class VisitSection:
    """该客户的拜访: planned visits not yet made (the overdue ones marked) and the latest
    reports."""

    def section(self, customer: Customer, viewer: User) -> RelatedSection | None:
        if not policy.can(viewer, Action.VIEW, VisitPlan):
            return None
        plans = _scoped(VisitPlan, customer, viewer).where(
            VisitPlan.status == VisitStatus.PLANNED)
        reports = _scoped(VisitReport, customer, viewer)
        open_plans, plan_total = _first(plans.options(joinedload(VisitPlan.owner)),
                                        VisitPlan.planned_date, VisitPlan.id)
        latest, total = _first(reports.options(joinedload(VisitReport.owner)),
                               VisitReport.visited_at.desc(), VisitReport.id.desc())
        return RelatedSection(
            "customer-visits", _("客户拜访"), "sales/visit/_customer_section.html",
            rows=latest, total=total,
            data={"plans": open_plans, "plan_total": plan_total, "today": local_today()},
            more_link=Link("sales.visit_customer", {"customer_id": customer.id}))
