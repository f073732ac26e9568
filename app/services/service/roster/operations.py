"""The duty roster's entries: the 客服 manager plans a duty (日期, 值班人员), the person on duty
fills it in (交接时间, 工作内容, 工作时长, 备注). One entry per person and day; 工作时长 is an
exact number of hours, more than 0 and at most 24."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import exists, select

from app.extensions import db
from app.models import Department, DeptCode, Role, User
from app.models.service.roster import DutyShift
from app.services.core import audit, errors
from app.services.core.edits import update_if_unchanged

MAX_HOURS = Decimal(24)
HOUR_PLACES = 2
FILL_FIELDS = ("handover_at", "work_content", "hours", "remarks")


class Refused(errors.Refused):
    """A rule of the duty roster refuses the values."""


@dataclass
class DutyFill:
    """What the person on duty fills in."""

    handover_at: datetime | None = None
    work_content: str | None = None
    hours: Decimal | None = None
    remarks: str | None = None


@dataclass
class DutyPlan:
    """A planned duty (the manager's), with what may already be filled in."""

    duty_date: date
    user_id: int | None
    fill: DutyFill


def hours_problem(hours: Decimal | None) -> str | None:
    """Why 工作时长 is refused (more than 0, at most 24, at most two decimals); None if fine."""
    if hours is None:
        return None
    if not hours.is_finite() or hours <= 0:
        return _("工作时长须大于 0 小时。")
    if hours > MAX_HOURS:
        return _("工作时长不能超过 24 小时。")
    if hours != hours.quantize(Decimal(1).scaleb(-HOUR_PLACES)):
        return _("工作时长最多保留 2 位小数，如 7.5。")
    return None


def _check_fill(fill: DutyFill, duty_date: date) -> None:
    problem = hours_problem(fill.hours)
    if problem:
        raise Refused(problem, "hours")
    if fill.handover_at and abs((fill.handover_at.date() - duty_date).days) > 1:
        raise Refused(_("交接时间应在值班日期前后一天之内。"), "handover_at")


def duty_people() -> list[User]:
    """Active 客服部 staff and managers, by name: who may be put on duty."""
    query = (select(User).join(Department, Department.id == User.department_id)
             .where(Department.code == DeptCode.SERVICE, User.active.is_(True),
                    User.role.in_((Role.STAFF, Role.MANAGER))).order_by(User.full_name))
    return list(db.session.scalars(query))


def _person(user_id: int | None) -> User:
    person = db.session.get(User, user_id) if user_id else None
    if person is None or person not in duty_people():
        raise Refused(_("请选择客服部在职人员作为值班人员。"), "user_id")
    return person


def _taken(duty_date: date, user_id: int, other: int | None = None) -> bool:
    query = exists().where(DutyShift.duty_date == duty_date, DutyShift.user_id == user_id)
    if other is not None:
        query = query.where(DutyShift.id != other)
    return bool(db.session.scalar(select(query)))


def _label(shift: DutyShift, person: User) -> str:
    return f"{shift.duty_date.isoformat()} {person.full_name}"


def values_of(shift: DutyShift) -> dict:
    """The entry's values as the audit trail records them."""
    return {"duty_date": shift.duty_date, "user_id": shift.user_id,
            "handover_at": shift.handover_at, "work_content": shift.work_content,
            "hours": shift.hours, "remarks": shift.remarks}


def create_shift(plan: DutyPlan, actor: User) -> DutyShift:
    """Plans a duty; refuses a person who is not active 客服部 staff, a second entry of the same
    person on the same day, and hours out of range."""
    person = _person(plan.user_id)
    _check_fill(plan.fill, plan.duty_date)
    if _taken(plan.duty_date, person.id):
        raise Refused(_("%(name)s 在 %(day)s 已有值班登记。", name=person.full_name,
                        day=plan.duty_date.isoformat()), "duty_date")
    shift = DutyShift(duty_date=plan.duty_date, user_id=person.id,
                      department_id=person.department_id, created_by_id=actor.id,
                      **{name: getattr(plan.fill, name) for name in FILL_FIELDS})
    db.session.add(shift)
    db.session.flush()
    audit.record("duty_created", shift, actor=actor, object_label=_label(shift, person),
                 changes=values_of(shift))
    return shift


def update_shift(shift: DutyShift, plan: DutyPlan, seen: str, actor: User,
                 replan: bool) -> dict:
    """Saves an edit made on the version stamped `seen`: the fill-in fields, and with `replan`
    (the manager) the day and the person too; raises EditConflict if someone saved since."""
    person = _person(plan.user_id) if replan else db.session.get(User, shift.user_id)
    duty_date = plan.duty_date if replan else shift.duty_date
    _check_fill(plan.fill, duty_date)
    if replan and _taken(duty_date, person.id, shift.id):
        raise Refused(_("%(name)s 在 %(day)s 已有值班登记。", name=person.full_name,
                        day=duty_date.isoformat()), "duty_date")
    before = values_of(shift)
    update_if_unchanged(shift, seen, {
        "duty_date": duty_date, "user_id": person.id, "department_id": person.department_id,
        **{name: getattr(plan.fill, name) for name in FILL_FIELDS}})
    changes = audit.field_changes(before, values_of(shift))
    if changes:
        audit.record("duty_updated", shift, actor=actor, object_label=_label(shift, person),
                     changes=changes)
    return changes


def delete_shift(shift: DutyShift, actor: User) -> None:
    """Removes a planned duty (the manager's decision), keeping its values in the audit trail."""
    person = db.session.get(User, shift.user_id)
    audit.record("duty_deleted", shift, actor=actor, object_label=_label(shift, person),
                 changes=values_of(shift))
    db.session.delete(shift)
