"""A service record's course: 待处理 → 处理中 → (等待客户 / 等待配件, back to 处理中) → 已完成 →
已关闭, which needs the customer's recorded confirmation (「未关闭的服务单需持续跟进直至客户确认
满意」, 004 L206); a 已完成 record may be reopened with a reason, a closed one not. The 客服
manager assigns the 负责人; a transfer to another 客服 colleague needs a reason. Every step is a
ServiceEvent and an audit event, and the SLA deadlines are recomputed after it. Under an
on-site commitment the handler records the arrival on site (到达现场) once."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Customer, User
from app.models.base import utcnow
from app.models.service.records import (
    ConfirmationMethod,
    ServiceEvent,
    ServiceEventKind,
    ServiceRecord,
)
from app.models.service.records import ServiceStatus as S
from app.services.core import audit
from app.services.service.records import hooks, notices, rules, trail
from app.services.service.records.rules import RecordRefused
from app.timeutil import local_wall_clock

# Where each status may go (reopening 已完成 → 处理中 is in REOPEN, it needs a reason).
NEXT = {
    S.PENDING: (S.PROCESSING,),
    S.PROCESSING: (S.WAITING_CUSTOMER, S.WAITING_PARTS, S.DONE),
    S.WAITING_CUSTOMER: (S.PROCESSING,),
    S.WAITING_PARTS: (S.PROCESSING,),
    S.DONE: (S.PROCESSING, S.CLOSED),
    S.CLOSED: (),
}
REOPEN = (S.DONE, S.PROCESSING)


def _locked(record: ServiceRecord) -> None:
    """Reads the record again under a row lock: two people acting at once act one after the
    other, each on the state the other left."""
    db.session.refresh(record, with_for_update=True)


def _event(record: ServiceRecord, kind: ServiceEventKind, actor: User, **values) -> None:
    db.session.add(ServiceEvent(record_id=record.id, kind=kind, user_id=actor.id, at=utcnow(),
                                **values))


def _customer_name(record: ServiceRecord) -> str:
    return db.session.get(Customer, record.customer_id).name


def allowed_next(record: ServiceRecord) -> tuple:
    """The statuses the record may go to now."""
    return NEXT[record.status]


def change_status(record: ServiceRecord, to: S, actor: User, reason: str | None = None) -> None:
    """Moves the record on; refuses a step the course does not have, reopening without a
    reason, and closing before the customer's confirmation is recorded."""
    _locked(record)
    origin, reason = record.status, (reason or "").strip() or None
    if to not in NEXT[origin]:
        raise RecordRefused(_("不能从“%(from)s”改为“%(to)s”。", **{"from": origin.label,
                                                               "to": to.label}), "to")
    if (origin, to) == REOPEN and not reason:
        raise RecordRefused(_("重新打开已完成的记录须填写原因。"), "reason")
    if to == S.CLOSED and record.confirmed_at is None:
        raise RecordRefused(
            _("须先登记客户确认（满意度、确认方式、确认人和时间），才能关闭。"), "to")
    _event(record, ServiceEventKind.STATUS, actor, from_status=origin, to_status=to,
           reason=reason, snapshot=_reopened(record) if (origin, to) == REOPEN else None)
    record.status = to
    if to == S.DONE:
        record.completed_at = utcnow()
    if to == S.CLOSED:
        record.closed_at = utcnow()
    changes = {"status": [origin, to]}
    if reason:
        changes["reason"] = reason
    action = "service_record_reopened" if (origin, to) == REOPEN else "service_record_status"
    trail.record_event(action, record, actor, changes)
    db.session.flush()
    hooks.refresh_derived(record)


def _reopened(record: ServiceRecord) -> str | None:
    """Reopening: the customer's confirmation was of the work now reopened, so it is cleared
    (closing again needs a new one); the event keeps it."""
    if record.confirmed_at is None:
        return None
    kept = audit.canonical_json({
        "satisfaction": record.satisfaction, "confirmed_at": record.confirmed_at,
        "confirmed_by": record.confirmed_by, "confirmation_method": record.confirmation_method,
        "completed_at": record.completed_at})
    record.satisfaction = record.confirmed_at = record.confirmed_by = None
    record.confirmation_method = record.confirmation_recorded_by_id = None
    return kept


def _customer_side_contact(record: ServiceRecord) -> str:
    """Who confirms when no name is given: the record's 对接人, else the customer's contact."""
    if record.customer_contact:
        return record.customer_contact
    return db.session.scalar(select(Customer.contact_name)
                             .where(Customer.id == record.customer_id)) or ""


def confirm(record: ServiceRecord, actor: User, *, satisfaction: int,
            method: ConfirmationMethod, confirmed_by: str, confirmed_at: datetime,
            feedback: str | None = None) -> None:
    """Records the customer's confirmation of a 已完成 record (满意度 1–5, how, who, when)."""
    _locked(record)
    if record.status != S.DONE:
        raise RecordRefused(_("只有已完成的记录才能登记客户确认。"))
    if not 1 <= satisfaction <= 5:
        raise RecordRefused(_("满意度评分须在 1–5 分之间。"), "satisfaction")
    confirmed_by = (confirmed_by or "").strip() or _customer_side_contact(record)
    record.satisfaction, record.confirmation_method = satisfaction, method
    record.confirmed_by, record.confirmed_at = confirmed_by[:50], confirmed_at
    record.confirmation_recorded_by_id = actor.id
    if feedback:
        record.feedback = feedback
    _event(record, ServiceEventKind.CONFIRMED, actor,
           reason=f"{method.label} · {record.confirmed_by} · {satisfaction}")
    trail.record_event("service_record_confirmed", record, actor, {
        "satisfaction": [None, satisfaction], "confirmation_method": [None, method],
        "confirmed_by": [None, record.confirmed_by], "confirmed_at": [None, confirmed_at]})
    db.session.flush()
    hooks.refresh_derived(record)


def _hand_over(record: ServiceRecord, to_id: int | None, actor: User, kind: ServiceEventKind,
               reason: str | None) -> None:
    """Gives the record to another 客服 person, in the history and the audit trail."""
    _locked(record)
    if record.status == S.CLOSED:
        raise RecordRefused(_("记录已关闭，不能再改负责人。"))
    handler = rules.handler_of(to_id)
    if handler.id == record.handler_id:
        raise RecordRefused(_("此人已是负责人。"), "handler_id")
    origin = record.handler_id
    _event(record, kind, actor, from_user_id=origin, to_user_id=handler.id, reason=reason)
    record.handler_id = handler.id
    changes = {"handler_id": [origin, handler.id]}
    if reason:
        changes["reason"] = reason
    action = ("service_record_transferred" if kind == ServiceEventKind.TRANSFERRED
              else "service_record_assigned")
    trail.record_event(action, record, actor, changes)
    notices.tell_handler(record, _customer_name(record), actor)
    db.session.flush()


def assign(record: ServiceRecord, handler_id: int | None, actor: User) -> None:
    """The 客服 manager names the 负责人 (a 客服部 staff member or manager)."""
    _hand_over(record, handler_id, actor, ServiceEventKind.ASSIGNED, None)


def transfer(record: ServiceRecord, handler_id: int | None, actor: User, reason: str) -> None:
    """Passes the record to another 客服 colleague (移交); the reason is required and kept."""
    reason = (reason or "").strip()
    if not reason:
        raise RecordRefused(_("转交须填写原因。"), "reason")
    _hand_over(record, handler_id, actor, ServiceEventKind.TRANSFERRED, reason)


def _check_arrival(record: ServiceRecord, arrived_at: datetime) -> None:
    """Refuses an arrival the record has no target for, a second one, one on a closed record,
    one in the future or before the record's 服务时间."""
    if record.onsite_due is None:
        raise RecordRefused(_("此记录没有上门到场时限，无需登记到达现场。"))
    if record.arrived_at is not None:
        raise RecordRefused(_("已登记到达现场（%(at)s），不能重复登记。",
                              at=f"{record.arrived_at:%Y-%m-%d %H:%M}"))
    if record.status == S.CLOSED:
        raise RecordRefused(_("记录已关闭，不能再登记到达现场。"))
    if arrived_at > local_wall_clock():
        raise RecordRefused(_("到达时间不能晚于现在。"), "arrived_at")
    if arrived_at < record.service_at:
        raise RecordRefused(_("到达时间不能早于服务时间（%(at)s）。",
                                at=f"{record.service_at:%Y-%m-%d %H:%M}"), "arrived_at")


def record_arrival(record: ServiceRecord, actor: User, arrived_at: datetime) -> None:
    """Records when someone arrived at the customer's site (local time), which ends the
    on-site clock: once per record, in the history and the audit trail."""
    _locked(record)
    _check_arrival(record, arrived_at)
    record.arrived_at = arrived_at
    # The history keeps the time as entered (the event's own stamp is when it was recorded).
    _event(record, ServiceEventKind.ARRIVED, actor, reason=f"{arrived_at:%Y-%m-%d %H:%M}")
    trail.record_event("service_record_arrived", record, actor, {"arrived_at": [None, arrived_at]})
    db.session.flush()
    hooks.refresh_derived(record)
