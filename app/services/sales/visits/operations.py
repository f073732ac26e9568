"""Customer visits: plans (表5-28 客户拜访周/日计划表) and reports (表5-29 客户拜访报告,
客户拜访记录表). Each record belongs where its customer belongs (owner, department, level); a
report may fulfil a plan, which is then done. Times are entered in local time, stored in UTC."""

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import Select, select

from app.extensions import db
from app.models import (
    Customer,
    CustomerType,
    Interest,
    User,
    VisitPlan,
    VisitReport,
    VisitStatus,
)
from app.services.core import audit, errors
from app.services.core.edits import check_stamp
from app.services.sales.scope import inherit_scope
from app.timeutil import local_zone, to_local

PLAN_FIELDS = ("customer_id", "planned_date", "customer_type", "purpose", "expected_time",
               "contact_name", "remarks", "status")
REPORT_FIELDS = ("customer_id", "plan_id", "visited_at", "contact_met", "purpose", "content",
                 "interest", "proposal_feedback", "objections", "next_meeting_date",
                 "open_issues", "next_topic", "follow_up_actions")


class Refused(errors.Refused):
    """A change the visit record's state does not allow."""


def to_utc(local: datetime) -> datetime:
    """A naive local (company) time as the naive UTC stored in the database."""
    return local.replace(tzinfo=local_zone()).astimezone(UTC).replace(tzinfo=None)


def local_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) in stored UTC of the local days first..last."""
    start = to_utc(datetime.combine(first, datetime.min.time()))
    end = to_utc(datetime.combine(date.fromordinal(last.toordinal() + 1), datetime.min.time()))
    return start, end


def customer_in(scoped: Select, customer_id: int | None) -> Customer | None:
    """The customer with this id if the scoped customer query holds it, else None."""
    if customer_id is None:
        return None
    return db.session.scalars(scoped.where(Customer.id == customer_id)).unique().first()


def report_of(plan: VisitPlan) -> VisitReport | None:
    """The report that fulfilled a plan, if any."""
    return db.session.scalar(select(VisitReport).where(VisitReport.plan_id == plan.id))


@dataclass
class PlanData:
    planned_date: date
    purpose: str
    customer_type: CustomerType | None = None  # None: the customer's own type
    expected_time: str | None = None
    contact_name: str | None = None
    remarks: str | None = None


@dataclass
class ReportData:
    visited_at: datetime  # naive local time
    contact_met: str
    purpose: str
    content: str
    interest: Interest | None = None
    proposal_feedback: str | None = None
    objections: str | None = None
    next_meeting_date: date | None = None
    open_issues: str | None = None
    next_topic: str | None = None
    follow_up_actions: str | None = None


def _snapshot(record, fields) -> dict:
    return {field: getattr(record, field) for field in fields}


def _apply_plan(plan: VisitPlan, customer: Customer, data: PlanData) -> None:
    """Sets the plan's values; a new customer brings its scope along."""
    values = asdict(data)
    values["customer_type"] = data.customer_type or customer.type
    for field, value in values.items():
        setattr(plan, field, value)
    if plan.customer_id != customer.id:
        plan.customer = customer
        plan.customer_id = customer.id
        inherit_scope(plan, customer)


def create_plan(customer: Customer, data: PlanData, actor: User) -> VisitPlan:
    """Plans a visit to `customer` (the caller checked the user may see it); the plan belongs
    where the customer belongs and takes the customer's type unless another is chosen."""
    plan = VisitPlan(customer=customer, customer_id=customer.id, status=VisitStatus.PLANNED)
    _apply_plan(plan, customer, data)
    inherit_scope(plan, customer)
    db.session.add(plan)
    db.session.flush()
    audit.record("visit_plan_created", plan, actor=actor, object_label=_label(plan),
                 changes=audit.field_changes({}, _snapshot(plan, PLAN_FIELDS)))
    return plan


def update_plan(plan: VisitPlan, customer: Customer, data: PlanData, expected_stamp: str,
                actor: User) -> dict:
    """Saves an edit of a planned visit; refuses a done or cancelled plan and a stale form
    (EditConflict: the plan's stamp is no longer `expected_stamp`)."""
    check_stamp(plan, expected_stamp)
    if plan.status != VisitStatus.PLANNED:
        raise Refused(_("已拜访或已取消的计划不能修改。"))
    before = _snapshot(plan, PLAN_FIELDS)
    _apply_plan(plan, customer, data)
    changes = audit.field_changes(before, _snapshot(plan, PLAN_FIELDS))
    if changes:
        db.session.flush()
        audit.record("visit_plan_updated", plan, changes=changes, actor=actor,
                     object_label=_label(plan))
    return changes


def cancel_plan(plan: VisitPlan, actor: User) -> None:
    """Cancels a planned visit; refuses one that is already done or cancelled."""
    if plan.status != VisitStatus.PLANNED:
        raise Refused(_("只能取消尚未执行的拜访计划。"))
    plan.status = VisitStatus.CANCELLED
    db.session.flush()
    audit.record("visit_plan_cancelled", plan, actor=actor, object_label=_label(plan),
                 changes={"status": [VisitStatus.PLANNED, VisitStatus.CANCELLED]})


def _apply_report(report: VisitReport, data: ReportData) -> None:
    """Sets the report's values, the local visit time stored as UTC."""
    values = asdict(data)
    values["visited_at"] = to_utc(data.visited_at)
    for field, value in values.items():
        setattr(report, field, value)


def create_report(customer: Customer, data: ReportData, actor: User,
                  plan: VisitPlan | None = None) -> VisitReport:
    """Records a visit to `customer`; with a plan, the plan (still planned, same customer) is
    fulfilled and marked done."""
    report = VisitReport(customer=customer, customer_id=customer.id)
    if plan is not None:
        _fulfil(plan, customer, actor)
        report.plan, report.plan_id = plan, plan.id
    _apply_report(report, data)
    inherit_scope(report, customer)
    db.session.add(report)
    db.session.flush()
    audit.record("visit_report_created", report, actor=actor, object_label=_label(report),
                 changes=audit.field_changes({}, _snapshot(report, REPORT_FIELDS)))
    return report


def _fulfil(plan: VisitPlan, customer: Customer, actor: User) -> None:
    """Marks the plan a report fulfils as done; refuses a plan not planned or of another
    customer."""
    if plan.customer_id != customer.id:
        raise Refused(_("拜访报告的客户必须与拜访计划一致。"), "customer")
    if plan.status != VisitStatus.PLANNED:
        raise Refused(_("该拜访计划已执行或已取消，不能再登记报告。"))
    plan.status = VisitStatus.DONE
    audit.record("visit_plan_done", plan, actor=actor, object_label=_label(plan),
                 changes={"status": [VisitStatus.PLANNED, VisitStatus.DONE]})


def update_report(report: VisitReport, customer: Customer, data: ReportData,
                  expected_stamp: str, actor: User) -> dict:
    """Saves an edit of a visit report; refuses a stale form and, for a report that fulfils a
    plan, another customer than the plan's."""
    check_stamp(report, expected_stamp)
    if report.plan_id is not None and customer.id != report.customer_id:
        raise Refused(_("拜访报告的客户必须与拜访计划一致。"), "customer")
    before = _snapshot(report, REPORT_FIELDS)
    _apply_report(report, data)
    if customer.id != report.customer_id:
        report.customer, report.customer_id = customer, customer.id
        inherit_scope(report, customer)
    changes = audit.field_changes(before, _snapshot(report, REPORT_FIELDS))
    if changes:
        db.session.flush()
        audit.record("visit_report_updated", report, changes=changes, actor=actor,
                     object_label=_label(report))
    return changes


def local_visit_time(report: VisitReport) -> datetime:
    """The report's visit time in local time, naive (for forms)."""
    return to_local(report.visited_at).replace(tzinfo=None)


def _label(record) -> str:
    """The audit label: the customer and the date."""
    if isinstance(record, VisitPlan):
        when = record.planned_date
    else:
        when = to_local(record.visited_at).date()
    return f"{record.customer.number} {record.customer.name} {when.isoformat()}"
