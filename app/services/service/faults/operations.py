"""故障报告制度 (002 篇二 七, L62–64): whoever first learns of a major fault reports its time,
place, symptoms and handling plan at once, to the customer's salesperson (业务签单人员) and the
客服 manager (分管经理); after the fault the report is completed with its impact, handling, cause
analysis and corrective and preventive actions, and sent to them again (the customer and
业务部). The report takes the customer's confidentiality; its number is a yearly series."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.extensions import db
from app.models import Customer, Department, DeptCode, Role, User
from app.models.base import utcnow
from app.models.service.records import ServiceRecord
from app.models.service.roster import FaultReport, FaultStatus
from app.services.core import audit, errors, notifications
from app.services.core.notifications import Link
from app.services.core.numbering import series_number
from app.timeutil import local_wall_clock

PREFIX = "GZ"
MESSAGES = {
    "fault_reported": _l("客户「%(customer)s」发生重大故障（%(number)s），%(who)s 已报告："
                         "%(symptoms)s"),
    "fault_completed": _l("故障分析报告「%(number)s」（%(customer)s）已完成，请知悉原因分析和"
                          "纠正预防措施。"),
}
REPORT_FIELDS = ("occurred_at", "place", "symptoms", "plan")
ANALYSIS_FIELDS = ("impact", "handling", "cause", "actions")


class Refused(errors.Refused):
    """A rule of the fault reports refuses the values."""


@dataclass
class FaultData:
    """The first report: 发生时间、地点、现象、处理预案, the customer and an optional record."""

    customer_id: int | None
    occurred_at: datetime
    place: str
    symptoms: str
    plan: str
    record_number: str | None = None


@dataclass
class Analysis:
    """The completion: 影响、处理情况、原因分析、纠正预防措施 (all required)."""

    impact: str
    handling: str
    cause: str
    actions: str


def _customer(customer_id: int | None, actor: User) -> Customer:
    """Any customer whose card the reporter may see, within their clearance."""
    customer = db.session.get(Customer, customer_id) if customer_id else None
    if customer is None or customer.confidentiality > actor.clearance:
        raise Refused(_("请选择客户。"), "customer_id")
    return customer


def _record(number: str | None, customer: Customer) -> ServiceRecord | None:
    """The linked service record, which must be the same customer's."""
    if not number:
        return None
    record = db.session.scalar(select(ServiceRecord).where(
        ServiceRecord.number == number.strip().upper(),
        ServiceRecord.customer_id == customer.id))
    if record is None:
        raise Refused(_("客户「%(customer)s」没有服务编号为「%(number)s」的服务记录。",
                        customer=customer.name, number=number.strip()[:40]), "record_number")
    return record


def _service_department_id() -> int:
    return db.session.scalar(select(Department.id).where(Department.code == DeptCode.SERVICE))


def report_fault(data: FaultData, actor: User) -> FaultReport:
    """Registers the first report of a major fault and sends it to the customer's owner and the
    客服 manager; refuses a time in the future and a record of another customer."""
    customer = _customer(data.customer_id, actor)
    if data.occurred_at > local_wall_clock():
        raise Refused(_("发生时间不能晚于现在。"), "occurred_at")
    record = _record(data.record_number, customer)
    report = FaultReport(
        number=series_number(PREFIX), customer_id=customer.id,
        service_record_id=record.id if record else None,
        department_id=_service_department_id(), confidentiality=customer.confidentiality,
        status=FaultStatus.OPEN, reported_by_id=actor.id,
        **{name: getattr(data, name) for name in REPORT_FIELDS})
    db.session.add(report)
    db.session.flush()
    audit.record("fault_reported", report, actor=actor, object_label=report.number,
                 level=report.confidentiality, changes={"customer": customer.number,
                          "record": record.number if record else None,
                          **{name: getattr(report, name) for name in REPORT_FIELDS}})
    _send(report, customer, "fault_reported", actor, symptoms=report.symptoms[:100])
    return report


def complete(report: FaultReport, analysis: Analysis, actor: User) -> None:
    """Completes the report with its analysis and sends it again; refuses an empty part of the
    analysis and a report completed already (checked and written in one UPDATE, so of two
    completions at once only one is saved and sent)."""
    values = {name: (getattr(analysis, name) or "").strip() for name in ANALYSIS_FIELDS}
    for name, value in values.items():
        if not value:
            raise Refused(_("请填写此项。"), name)
    now = utcnow()
    written = db.session.execute(
        update(FaultReport).where(FaultReport.id == report.id,
                                  FaultReport.status == FaultStatus.OPEN)
        .values(**values, status=FaultStatus.COMPLETED, completed_by_id=actor.id,
                completed_at=now, updated_at=now)
        .execution_options(synchronize_session=False))
    if written.rowcount != 1:
        raise Refused(_("该故障分析报告已完成。"))
    db.session.refresh(report)
    audit.record("fault_completed", report, actor=actor, object_label=report.number,
                 level=report.confidentiality, changes=values)
    _send(report, report.customer, "fault_completed", actor)


def recipients(report: FaultReport, customer: Customer) -> list[int]:
    """The customer's owner and the active 客服 managers cleared for the report (a manager
    below its level could not open it), never the sender."""
    managers = db.session.scalars(
        select(User.id).join(Department, Department.id == User.department_id)
        .where(Department.code == DeptCode.SERVICE, User.role == Role.MANAGER,
               User.active.is_(True), User.clearance >= report.confidentiality))
    return list(dict.fromkeys([customer.owner_id, *managers]))


def _send(report: FaultReport, customer: Customer, kind: str, actor: User, **params) -> None:
    for user_id in recipients(report, customer):
        if user_id != actor.id:
            notifications.notify(user_id, kind, Link("service.fault_detail",
                                                     {"report_id": report.id}),
                                 number=report.number, customer=customer.name,
                                 who=actor.full_name, **params)
