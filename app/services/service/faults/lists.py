"""The fault reports' list, its Excel export and one report's page, on a query policy has
already scoped."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Customer, User
from app.models.service.roster import FaultReport
from app.services.core import search
from app.services.core.loading import load_related
from app.services.core.pagination import Page, Sort, counted_page
from app.timeutil import to_local

SORT = Sort(FaultReport.occurred_at, True)
ROW_LOADS = (selectinload(FaultReport.customer), selectinload(FaultReport.reported_by))


@dataclass
class FaultFilters:
    q: str = ""  # report number, or the customer's name or number
    status: str = ""
    after: str | None = None
    before: str | None = None


@dataclass
class FaultListing:
    page: Page
    total: int
    capped: bool


def filtered(scoped: Select, f: FaultFilters) -> Select:
    query = scoped
    if f.status:
        query = query.where(FaultReport.status == f.status)
    if f.q:
        text = f.q.strip()
        clause = search.match(Customer, text)
        found = FaultReport.number.contains(text.upper(), autoescape=True)
        if clause is not None:
            found = or_(found, FaultReport.customer_id.in_(select(Customer.id).where(clause)))
        query = query.where(found)
    return query


def listing(scoped: Select, f: FaultFilters) -> FaultListing:
    """One page of the filtered list, the latest fault first, with its capped count."""
    query = filtered(scoped, f).options(*ROW_LOADS)
    page, total, capped = counted_page(query, FaultReport, SORT, after=f.after, before=f.before)
    return FaultListing(page, total, capped)


def customer_text(customer_id: int | None, viewer: User) -> str:
    """The picker's label of the chosen customer (name and number), if the viewer may see it."""
    customer = db.session.get(Customer, customer_id) if customer_id else None
    if customer is None or customer.confidentiality > viewer.clearance:
        return ""
    return f"{customer.name}（{customer.number}）"


def load_page(report: FaultReport) -> FaultReport:
    """One report with what its page and print show (customer, record, people)."""
    load_related([report], *ROW_LOADS, selectinload(FaultReport.service_record),
                 selectinload(FaultReport.completed_by))
    return report


def export_table(scoped: Select, f: FaultFilters):
    """(headers, rows) of the whole filtered list in the page's order, with the analysis."""
    headers = [_("报告编号"), _("客户名称"), _("发生时间"), _("地点"), _("现象"), _("处理预案"),
               _("造成的影响"), _("处理情况"), _("原因分析"), _("纠正预防措施"), _("状态"),
               _("报告人"), _("完成时间"), _("密级")]
    query = (filtered(scoped, f).order_by(None).order_by(*SORT.order_by(FaultReport, True))
             .join(Customer, Customer.id == FaultReport.customer_id)
             .join(User, User.id == FaultReport.reported_by_id)
             .with_only_columns(
                 FaultReport.number, Customer.name, FaultReport.occurred_at, FaultReport.place,
                 FaultReport.symptoms, FaultReport.plan, FaultReport.impact,
                 FaultReport.handling, FaultReport.cause, FaultReport.actions,
                 FaultReport.status, User.full_name, FaultReport.completed_at,
                 FaultReport.confidentiality))
    rows = db.session.execute(query.execution_options(yield_per=1000))
    return headers, (_row(row) for row in rows)


def _row(row) -> tuple:
    *head, status, reporter, completed, level = row
    head[2] = head[2].strftime("%Y-%m-%d %H:%M")
    return (*head, str(status.label), reporter,
            to_local(completed).strftime("%Y-%m-%d %H:%M") if completed else None, str(level.label))
