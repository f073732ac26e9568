"""Loans (借阅): who asks, sees and executes them, and loan_allows, the catalogue's door to them
(policy.archive.items imports it; this module must not import items).

Staff and managers borrow; the borrower sees their loans, a department manager the loans of
their department's items and of their department's people, the GM and the archivist every
loan (within clearance, as everywhere). The archivist hands paper loans out and takes them
back but approves none: approving is the engine's step (002 篇七 1.5).

Whether a loan opens anything is decided by the time of each access (`now`), never by the
periodic task that marks loans expired: a loan past its due time opens nothing even before
the task has run."""

from datetime import datetime

from sqlalchemy import DateTime, Select, bindparam, false, or_, select
from sqlalchemy.sql.elements import BindParameter

from app.extensions import db
from app.models import Role
from app.models.accounts import BUSINESS_ROLES
from app.models.archive.loans import ArchiveLoan, ArchiveLoanItem, LoanMethod, LoanStatus
from app.models.base import utcnow
from app.policy.actions import Action

BORROWERS = frozenset({Role.STAFF, Role.MANAGER})
SEE_ALL = frozenset({Role.GM, Role.ARCHIVIST})
# What an open loan of each method lets its borrower do with the item's frozen copy.
OPENS = {Action.READ_CONTENT: (LoanMethod.ONLINE, LoanMethod.COPY),
         Action.PRINT: (LoanMethod.COPY,)}


def now() -> datetime:
    """The loans' clock (naive UTC, as stored): every decision by time reads it here."""
    return utcnow()


def now_in_sql() -> BindParameter:
    """The loans' clock in a query, read when the query runs (not when it is built): a query
    built once and kept (services.core.viewer_statements) still asks about the present."""
    return bindparam("loans_now", callable_=now, type_=DateTime())


def is_open(loan: ArchiveLoan) -> bool:
    """An approved online or copy loan before its due time: its items may be read."""
    return (loan.status == LoanStatus.APPROVED and loan.method != LoanMethod.PAPER
            and loan.due_at is not None and now() < loan.due_at)


def _sees(user, loan: ArchiveLoan) -> bool:
    if user.role in SEE_ALL or loan.borrower_id == user.id:
        return True
    return user.role == Role.MANAGER and user.department_id in (
        loan.department_id, loan.borrower_department_id)


class LoanRules:
    """VIEW and EXPORT: the list and a loan's page; CREATE: asking; EDIT: the archivist's hand
    out and return of a paper loan; BORROW: the borrower's renewal; READ_CONTENT: the viewer of
    an open online or copy loan."""

    def area(self, user, action) -> bool:
        if action in (Action.VIEW, Action.EXPORT):
            return user.role in BUSINESS_ROLES
        if action == Action.CREATE:
            return user.role in BORROWERS
        return action == Action.EDIT and user.role == Role.ARCHIVIST

    def record(self, user, action, loan: ArchiveLoan) -> bool:
        if action in (Action.VIEW, Action.EXPORT):
            return _sees(user, loan)
        if action == Action.EDIT:
            return user.role == Role.ARCHIVIST and loan.method == LoanMethod.PAPER
        mine = loan.borrower_id == user.id
        if action == Action.BORROW:
            return mine
        return action == Action.READ_CONTENT and mine and is_open(loan)

    def scope(self, query: Select, user, action) -> Select:
        if user.role in SEE_ALL:
            return query
        if user.role == Role.MANAGER:
            return query.where(or_(ArchiveLoan.borrower_id == user.id,
                                   ArchiveLoan.department_id == user.department_id,
                                   ArchiveLoan.borrower_department_id == user.department_id))
        if user.role == Role.STAFF:
            return query.where(ArchiveLoan.borrower_id == user.id)
        return query.where(false())


RULES = {ArchiveLoan: LoanRules()}


def loan_allows(user, item, action) -> bool:
    """Whether `user` holds an approved loan of `item`, before its due time and within their
    clearance, whose method allows `action` (READ_CONTENT: online reading and copies; PRINT:
    copies, to print or download)."""
    methods = OPENS.get(action)
    if not methods:
        return False
    held = (select(ArchiveLoan.id)
            .join(ArchiveLoanItem, ArchiveLoanItem.loan_id == ArchiveLoan.id)
            .where(ArchiveLoanItem.item_id == item.id, ArchiveLoan.borrower_id == user.id,
                   ArchiveLoan.status == LoanStatus.APPROVED, ArchiveLoan.method.in_(methods),
                   ArchiveLoan.due_at > now(), ArchiveLoan.confidentiality <= user.clearance))
    return bool(db.session.scalar(select(held.exists())))
