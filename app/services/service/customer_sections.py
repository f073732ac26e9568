"""客服部's section of a customer's page: its service history (the latest records with their
type, state and 负责人), counting and listing only what the viewer's own service record list
would show them (policy.scope), in one statement whatever the number of records, built once
per viewer (services.core.viewer_statements)."""

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import aliased

from app import policy
from app.models import Customer, User
from app.models.service.records import OPEN_STATUSES, ServiceRecord
from app.policy import Action
from app.services.core.loading import read_rows
from app.services.core.notifications import Link
from app.services.core.viewer_statements import for_viewer
from app.services.customers.related import RelatedSection

SHOWN = 5  # rows on the customer's page; the section links to the whole list


# What a row of the section shows (the page only reads it: rows of columns, not entities).
_ROW_COLUMNS = (ServiceRecord.id, ServiceRecord.number, ServiceRecord.service_at,
                ServiceRecord.service_type, ServiceRecord.after_sales_kind, ServiceRecord.status,
                ServiceRecord.response_breached, ServiceRecord.resolution_breached,
                ServiceRecord.satisfaction)


def _history(viewer: User) -> Select:
    """The viewer's latest SHOWN records of the customer bound as :customer, each with its
    handler's name, how many there are and how many are open (windows computed before the
    LIMIT)."""
    scoped = policy.scope(select(ServiceRecord).where(
        ServiceRecord.customer_id == bindparam("customer")), viewer, ServiceRecord)
    handler = aliased(User)
    open_count = func.sum(case((ServiceRecord.status.in_(OPEN_STATUSES), 1), else_=0)).over()
    return (scoped.with_only_columns(*_ROW_COLUMNS, handler.full_name.label("handler_name"),
                                     func.count().over().label("listed_total"),
                                     open_count.label("open_total"))
            .outerjoin(handler, handler.id == ServiceRecord.handler_id)
            .order_by(ServiceRecord.service_at.desc(), ServiceRecord.id.desc()).limit(SHOWN))


class ServiceHistorySection:
    """该客户的服务记录: the latest records, newest first, and how many are still open."""

    def section(self, customer: Customer, viewer: User) -> RelatedSection | None:
        if not policy.can(viewer, Action.VIEW, ServiceRecord):
            return None
        statement = for_viewer("service.customer_history", viewer, lambda: _history(viewer))
        rows = read_rows(statement, {"customer": customer.id})
        total, still_open = (rows[0].listed_total, int(rows[0].open_total or 0)) if rows else (0, 0)
        return RelatedSection(
            "customer-service", _("服务记录"), "service/statistics/_customer_section.html",
            rows=rows, total=total, data={"open": still_open},
            more_link=Link("service.record_list", {"customer_id": customer.id}))
