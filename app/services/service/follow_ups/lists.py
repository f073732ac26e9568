"""Overdue follow-ups (逾期未跟进): records still followed up whose stored next due date has
passed, among those the user owes follow-ups on (policy: record_clause and follow_up_clause,
with clearance) — 客服 staff their own, the 客服 manager the department's, the GM all. The
list, its export and the count the home page shows. Due dates are local; a record is overdue
from the day after its due day."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased, joinedload

from app import policy
from app.extensions import db
from app.models import Customer, User
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import OPEN_STATUSES, ServiceRecord, ServiceStatus
from app.policy import Action
from app.policy.service import follow_up_clause
from app.services.core.loading import load_related
from app.services.core.pagination import Page, Sort, capped_count, counted_page

SORT = Sort(ServiceRecord.next_follow_up_due, False)  # the longest overdue first
# Follow-ups go on until 已关闭 (an IN list, not != closed: an index can serve it).
FOLLOWED = (*OPEN_STATUSES, ServiceStatus.DONE)


def overdue_query(user: User, today: date) -> Select:
    """The records whose follow-up is overdue on `today`, within the user's scope."""
    query = policy.scope(select(ServiceRecord), user, ServiceRecord)
    return query.where(
        follow_up_clause(user), ServiceRecord.status.in_(FOLLOWED),
        ServiceRecord.abandoned.is_(False),
        ServiceRecord.next_follow_up_due < datetime.combine(today, time.min))


def overdue_count(user: User, today: date) -> int:
    """How many follow-ups the user has overdue (0 for who has no follow-ups to see), counted
    by the database no further than COUNT_CAP."""
    if not policy.can(user, Action.VIEW, ServiceFollowUp):
        return 0
    return capped_count(overdue_query(user, today), ServiceRecord)[0]


@dataclass
class OverdueListing:
    page: Page
    total: int
    capped: bool
    today: date

    def days_overdue(self, record: ServiceRecord) -> int:
        """Days since the due day."""
        return (self.today - record.next_follow_up_due.date()).days


def listing(user: User, today: date, after: str | None = None,
            before: str | None = None) -> OverdueListing:
    """One page of overdue records, the longest overdue first, with the count, the customer
    and 负责人 loaded."""
    page, total, capped = counted_page(overdue_query(user, today), ServiceRecord, SORT,
                                       after=after, before=before)
    load_related(page.rows, joinedload(ServiceRecord.customer),
                 joinedload(ServiceRecord.handler))
    return OverdueListing(page, total, capped, today)


def export_rows(user: User, today: date) -> list[list]:
    """The whole overdue list as rows for the workbook, in the page's order."""
    # Aliased: the scope's EXISTS on customers must not correlate with this join.
    customer, handler = aliased(Customer), aliased(User)
    query = (overdue_query(user, today)
             .with_only_columns(ServiceRecord.number, customer.number, customer.name,
                                ServiceRecord.priority, ServiceRecord.status, handler.full_name,
                                ServiceRecord.next_follow_up_due)
             .join(customer, customer.id == ServiceRecord.customer_id)
             .outerjoin(handler, handler.id == ServiceRecord.handler_id)
             .order_by(*SORT.order_by(ServiceRecord, False)))
    return [[number, customer_number, name, priority.label, status.label, handler_name or "",
             due.strftime("%Y-%m-%d"), (today - due.date()).days]
            for number, customer_number, name, priority, status, handler_name, due
            in db.session.execute(query)]
