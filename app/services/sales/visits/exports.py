"""Excel tables of the visit lists: the same rows as their pages (same scope and filters), the
seeds' column names, personal data masked. services/exports.py writes and neutralises them."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Customer, User, VisitPlan, VisitReport, VisitStatus
from app.services.sales.visits.grid import MonthGrid, Visitee
from app.services.sales.visits.lists import DailyLog, VisitFilters, Week, plan_query, report_query
from app.timeutil import to_local

_BATCH = 2000


def plan_state(status: VisitStatus, planned_date: date, today: date) -> str:
    """The plan's status label; a planned visit whose date has passed is 逾期未拜访."""
    if status == VisitStatus.PLANNED and planned_date < today:
        return _("逾期未拜访")
    return str(status.label)


def _time(value) -> str:
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value else ""


def plan_headers() -> list[str]:
    """Columns of the plan list (表5-28)."""
    return [_("计划日期"), _("客户编号"), _("客户名称"), _("客户类型"), _("拜访目的"),
            _("预计时间"), _("联系人"), _("备注"), _("状态"), _("负责人")]


def report_headers() -> list[str]:
    """Columns of the report list (表5-29, 客户拜访记录表 results)."""
    return [_("拜访时间"), _("客户编号"), _("客户名称"), _("接洽人"), _("拜访目的"),
            _("拜访的内容"), _("客户反应（是否感兴趣）"), _("对所推荐方案的反馈意见"),
            _("客户异议"), _("下次约见时间"), _("沟通遗留问题"), _("下次沟通主题"),
            _("后续行动"), _("负责人")]


def _plans(query: Select, today: date):
    """The plan rows, streamed, newest first."""
    customer, owner = aliased(Customer), aliased(User)
    query = (query.join(customer, customer.id == VisitPlan.customer_id)
             .join(owner, owner.id == VisitPlan.owner_id).order_by(None)
             .order_by(VisitPlan.planned_date.desc(), VisitPlan.id.desc())
             .with_only_columns(VisitPlan.planned_date, customer.number, customer.name,
                                VisitPlan.customer_type, VisitPlan.purpose,
                                VisitPlan.expected_time, VisitPlan.contact_name,
                                VisitPlan.remarks, VisitPlan.status, owner.full_name))
    for row in db.session.execute(query.execution_options(yield_per=_BATCH)):
        *head, status, owner_name = row
        yield (*head, plan_state(status, row[0], today), owner_name)


def _reports(query: Select):
    """The report rows, streamed, newest first, times in local time."""
    customer, owner = aliased(Customer), aliased(User)
    query = (query.join(customer, customer.id == VisitReport.customer_id)
             .join(owner, owner.id == VisitReport.owner_id).order_by(None)
             .order_by(VisitReport.visited_at.desc(), VisitReport.id.desc())
             .with_only_columns(VisitReport.visited_at, customer.number, customer.name,
                                VisitReport.contact_met, VisitReport.purpose, VisitReport.content,
                                VisitReport.interest, VisitReport.proposal_feedback,
                                VisitReport.objections, VisitReport.next_meeting_date,
                                VisitReport.open_issues, VisitReport.next_topic,
                                VisitReport.follow_up_actions, owner.full_name))
    for row in db.session.execute(query.execution_options(yield_per=_BATCH)):
        yield (_time(row[0]), *row[1:])


def list_table(scoped: Select, f: VisitFilters, today: date) -> tuple[list[str], object]:
    """(headers, rows) of the whole filtered plan or report list, all pages."""
    if f.kind == "reports":
        return report_headers(), _reports(report_query(scoped, f))
    return plan_headers(), _plans(plan_query(scoped, f, today), today)


def week_table(week: Week, today: date) -> tuple[list[str], list]:
    """表5-28 客户拜访周/日计划表: the week's plans day by day, numbered within each day."""
    headers = [_("日期"), _("序号"), _("客户名称"), _("客户类型"), _("拜访目的"), _("预计时间"),
               _("联系人"), _("备注"), _("状态"), _("负责人")]
    rows = [(day, n, p.customer.name, p.customer_type, p.purpose, p.expected_time,
             p.contact_name, p.remarks, plan_state(p.status, p.planned_date, today),
             p.owner.full_name)
            for day, plans in week.days for n, p in enumerate(plans, 1)]
    return headers, rows


def visit_result(report: VisitReport) -> str:
    """结果 of the daily log: the customer's interest and feedback on the proposal."""
    parts = [str(report.interest.label) if report.interest else "",
             report.proposal_feedback or ""]
    return "；".join(p for p in parts if p)


def daily_table(log: DailyLog) -> tuple[list[str], list]:
    """表5-30 拜访日报: one day's visits per salesperson."""
    headers = [_("拜访人"), _("序号"), _("访问客户"), _("访问时间"), _("访问目的"), _("结果"),
               _("后续行动")]
    rows = [(person.full_name, n, r.customer.name, to_local(r.visited_at).strftime("%H:%M"),
             r.purpose, visit_result(r), r.follow_up_actions)
            for person, reports in log.groups for n, r in enumerate(reports, 1)]
    return headers, rows


def grid_headers() -> list[str]:
    """Columns of 计划拜访次数与实际执行情况."""
    return [_("客户名称"), _("拜访对象"), _("联系电话"), _("项目"),
            *[_("%(n)d月", n=m) for m in range(1, 13)], _("合计")]


def grid_rows(customers: list[Customer], grids: dict[int, MonthGrid],
              people: dict[int, Visitee]) -> list:
    """Two rows per customer, 计划 and 实际, with the person to visit and the masked phone."""
    rows = []
    for customer in customers:
        grid, person = grids[customer.id], people[customer.id]
        rows.append((customer.name, person.name, person.phone, _("计划"), *grid.planned,
                     grid.planned_total))
        rows.append((customer.name, person.name, person.phone, _("实际"), *grid.actual,
                     grid.actual_total))
    return rows
