"""The sales department's sections of a customer's page: its contracts, what it owes (and how
much is overdue), its visits. Each counts and lists only what the viewer's own sales lists would
show them (policy.scope), in a fixed number of statements whatever the number of rows, each
built once per viewer (services.core.viewer_statements) and run with the customer's id."""

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import aliased

from app import policy
from app.models import Contract, Customer, User, VisitPlan, VisitReport, VisitStatus
from app.policy import Action
from app.services.core.loading import read_rows
from app.services.core.notifications import Link
from app.services.core.viewer_statements import for_viewer
from app.services.customers.related import RelatedSection
from app.services.sales.ledger import customer_owed
from app.timeutil import local_today

SHOWN = 5  # rows of each list on the customer's page; the section links to the whole list
# What the sections' rows show (besides the id and the owner's name).
_CONTRACT_COLUMNS = (Contract.number, Contract.name, Contract.status, Contract.total_amount,
                     Contract.sign_date)
_PLAN_COLUMNS = (VisitPlan.planned_date, VisitPlan.purpose, VisitPlan.status)
_REPORT_COLUMNS = (VisitReport.visited_at, VisitReport.purpose)


def _scoped(model, viewer: User) -> Select:
    """The viewer's records of `model` of the customer bound as :customer."""
    return policy.scope(select(model).where(model.customer_id == bindparam("customer")),
                        viewer, model)


def _first_rows(query: Select, model, columns: tuple, *order_by) -> Select:
    """The first SHOWN rows of `query` in this order, as rows of the model's id, `columns` and
    the owner's name (owner_name; rows, not entities: the ORM's loading of five entities and
    their owners cost as much as the rest of the section), with on each how many rows it has in
    all (listed_total): a window over the whole filtered set, computed before the LIMIT (one
    statement for the list and its count)."""
    owner = aliased(User)
    return (query.with_only_columns(model.id, *columns, owner.full_name.label("owner_name"),
                                    func.count().over().label("listed_total"))
            .join(owner, owner.id == model.owner_id).order_by(*order_by).limit(SHOWN))


def _first(statement: Select, customer: Customer) -> tuple[list, int]:
    """(rows, count) of a _first_rows statement for `customer`."""
    rows = read_rows(statement, {"customer": customer.id})
    return rows, (rows[0].listed_total if rows else 0)


class ContractSection:
    """该客户的销售合同: the latest contracts, with their state and amount."""

    def section(self, customer: Customer, viewer: User) -> RelatedSection | None:
        if not policy.can(viewer, Action.VIEW, Contract):
            return None
        statement = for_viewer("sales.customer_contracts", viewer, lambda: _first_rows(
            _scoped(Contract, viewer), Contract, _CONTRACT_COLUMNS, Contract.id.desc()))
        rows, total = _first(statement, customer)
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
        today = local_today()
        statement = for_viewer("sales.customer_owed", viewer, lambda: customer_owed.owed_query(
            _scoped(Contract, viewer), today, SHOWN), extra=today)
        owed = customer_owed.customer_owed(statement, customer.id, today)
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
        open_plans, plan_total = _first(for_viewer("sales.customer_plans", viewer, lambda: (
            _first_rows(_scoped(VisitPlan, viewer).where(VisitPlan.status == VisitStatus.PLANNED),
                        VisitPlan, _PLAN_COLUMNS, VisitPlan.planned_date, VisitPlan.id))),
            customer)
        latest, total = _first(for_viewer("sales.customer_reports", viewer, lambda: (
            _first_rows(_scoped(VisitReport, viewer), VisitReport, _REPORT_COLUMNS,
                        VisitReport.visited_at.desc(), VisitReport.id.desc()))), customer)
        return RelatedSection(
            "customer-visits", _("客户拜访"), "sales/visit/_customer_section.html",
            rows=latest, total=total,
            data={"plans": open_plans, "plan_total": plan_total, "today": local_today()},
            more_link=Link("sales.visit_customer", {"customer_id": customer.id}))
