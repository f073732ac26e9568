"""Recording a return visit (回访记录, a9's survey fields), rescheduling it (with a reason, as a
new visit linked to the old) and assigning it (the 客服 manager). Each change is audited; a
visit is recorded once."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Department, DeptCode, Role, User
from app.models.service.visits import (
    Intention,
    ReturnVisit,
    ReturnVisitStatus,
    VisitMethod,
)
from app.services.core import audit, errors
from app.services.core.loading import load_related
from app.timeutil import local_today, local_wall_clock

RECORD_FIELDS = ("method", "visited_at", "record", "objections", "suggestions", "satisfaction",
                 "intention", "next_plan")


class Refused(errors.Refused):
    """A change the return visit's state does not allow."""


@dataclass
class VisitRecord:
    method: VisitMethod
    visited_at: datetime  # local
    record: str
    objections: str | None = None
    suggestions: str | None = None
    satisfaction: int | None = None
    intention: Intention | None = None
    next_plan: str | None = None
    next_date: date | None = None  # makes the next visit


def load_page(visit: ReturnVisit) -> ReturnVisit:
    """The visit with the customer, department and people its page shows, in one statement."""
    load_related([visit], joinedload(ReturnVisit.customer), joinedload(ReturnVisit.assignee),
                 joinedload(ReturnVisit.visited_by), joinedload(ReturnVisit.department),
                 joinedload(ReturnVisit.previous))
    return visit


def successors(visit: ReturnVisit) -> list[ReturnVisit]:
    """The visits that replaced or followed this one."""
    return list(db.session.scalars(select(ReturnVisit).where(
        ReturnVisit.previous_id == visit.id).order_by(ReturnVisit.id)))


def _open(visit: ReturnVisit) -> None:
    if visit.status != ReturnVisitStatus.DUE:
        raise Refused(_("该回访已%(status)s，不能再修改。", status=visit.status.label))


def _follow_on(visit: ReturnVisit, due: date, assignee_id: int | None) -> ReturnVisit:
    """A new open visit about the same subject, linked to `visit`."""
    new = ReturnVisit(subject_type=visit.subject_type, subject_id=visit.subject_id,
                      customer_id=visit.customer_id, kind=visit.kind, due_date=due,
                      schedule_basis=visit.schedule_basis, assignee_id=assignee_id,
                      department_id=visit.department_id, confidentiality=visit.confidentiality,
                      status=ReturnVisitStatus.DUE, previous_id=visit.id)
    db.session.add(new)
    return new


def record_visit(visit: ReturnVisit, data: VisitRecord, user: User) -> ReturnVisit | None:
    """Records the visit as done; with a next date, plans the next visit (returned). Refuses a
    visit no longer due, a visit time in the future and a next date not after it."""
    _open(visit)
    if data.visited_at > local_wall_clock():
        raise Refused(_("回访时间不能晚于现在。"), "visited_at")
    if data.next_date is not None and data.next_date <= data.visited_at.date():
        raise Refused(_("下次回访日期必须晚于本次回访日期。"), "next_date")
    for name in RECORD_FIELDS:
        setattr(visit, name, getattr(data, name))
    visit.visited_by_id, visit.status = user.id, ReturnVisitStatus.DONE
    following = None
    if data.next_date is not None:
        following = _follow_on(visit, data.next_date, visit.assignee_id or user.id)
    db.session.flush()
    audit.record("return_visit_record", visit, level=visit.confidentiality, changes={
        "method": data.method.value, "satisfaction": data.satisfaction,
        "next_visit": following.id if following else None})
    return following


def reschedule(visit: ReturnVisit, due: date, reason: str, user: User) -> ReturnVisit:
    """Moves an open visit to `due` (today or later) with the reason: the visit is marked
    已改期 and a new visit takes its place; returns the new one."""
    _open(visit)
    if not reason.strip():
        raise Refused(_("请填写改期原因。"), "reason")
    if due < local_today():
        raise Refused(_("新的回访日期不能早于今天。"), "due_date")
    visit.status, visit.reason = ReturnVisitStatus.RESCHEDULED, reason.strip()
    new = _follow_on(visit, due, visit.assignee_id)
    db.session.flush()
    audit.record("return_visit_reschedule", visit, level=visit.confidentiality, changes={
        "from": visit.due_date.isoformat(), "to": due.isoformat(), "reason": visit.reason,
        "new_visit": new.id})
    return new


def assignees(department_id: int) -> list[tuple[int, str]]:
    """(id, name) of the active 客服部 staff and managers who may be given a visit."""
    return list(db.session.execute(select(User.id, User.full_name).where(
        User.department_id == department_id, User.active.is_(True),
        User.role.in_((Role.STAFF, Role.MANAGER))).order_by(User.full_name, User.id)).all())


def service_people() -> list[tuple[int, str]]:
    """(id, name) of 客服部's active staff and managers (the assignee filter and choice)."""
    department_id = db.session.scalar(select(Department.id).where(
        Department.code == DeptCode.SERVICE))
    return assignees(department_id)


def assign(visit: ReturnVisit, assignee_id: int, user: User) -> None:
    """Gives an open visit to a member of its department (the 客服 manager's choice)."""
    _open(visit)
    if assignee_id not in {uid for uid, _name in assignees(visit.department_id)}:
        raise Refused(_("请选择客服部的在职人员。"), "assignee")
    before, visit.assignee_id = visit.assignee_id, assignee_id
    db.session.flush()
    audit.record("return_visit_assign", visit, level=visit.confidentiality,
                 changes={"assignee": [before, assignee_id]})

