"""Registering and editing service records (首问负责制): any department's staff register one, it
routes to 客服部 and its 首问责任人 is the registrar for good. Before the customer's
confirmation an edit is guarded by the version the form was opened on; after it, an edit makes
a new version that keeps what it replaced, with who, when and why."""

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Customer, Department, DeptCode, User
from app.models.base import utcnow
from app.models.service.records import (
    ServiceEvent,
    ServiceEventKind,
    ServicePart,
    ServiceRecord,
    ServiceStatus,
)
from app.policy.service import serves
from app.services.core import audit, edits
from app.services.core.errors import EditConflict
from app.services.core.loading import load_related
from app.services.service.records import hooks, notices, rules, trail
from app.services.service.records.data import (
    RecordData,
    described,
    snapshot_json,
    tag_codes,
)
from app.services.service.records.numbering import next_number
from app.services.service.records.rules import RecordRefused
from app.timeutil import local_now

PII = ("contact_phone",)


def _service_department_id() -> int:
    return db.session.scalar(select(Department.id).where(Department.code == DeptCode.SERVICE))


def _checked(data: RecordData, customer: Customer, actor: User, record_id: int | None) -> dict:
    """The values that need a look-up, once every rule has passed (RecordRefused otherwise)."""
    rules.check_kind(data)
    rules.check_parts(data.parts)
    return {"contract_id": rules.contract_of(data, customer, actor),
            "rework_of_id": rules.rework_of(data, customer, record_id),
            "collaborators": rules.collaborators_of(data.collaborator_ids)}


def _apply(record: ServiceRecord, data: RecordData, customer: Customer, looked_up: dict) -> None:
    """Writes the content; the phone and addresses default to the customer's."""
    for name in ("service_type", "after_sales_kind", "priority", "communicated_at", "content",
                 "request_text", "expected_at", "solution", "result", "feedback", "remarks",
                 "major"):
        setattr(record, name, getattr(data, name))
    record.tags = tag_codes(data.tags)
    record.service_at = data.service_at or local_now().replace(tzinfo=None, second=0,
                                                               microsecond=0)
    record.customer_contact = data.customer_contact or customer.contact_name
    record.contact_phone = data.contact_phone or customer.phone
    record.place = data.place or customer.address
    record.delivery_address = data.delivery_address or customer.address
    record.contract_id = looked_up["contract_id"]
    record.rework_of_id = looked_up["rework_of_id"]
    record.collaborators = looked_up["collaborators"]
    record.parts = [ServicePart(position=i, name=p.name, spec=p.spec, quantity=p.quantity,
                                sold=p.sold, unit_price=p.unit_price, amount=p.amount)
                    for i, p in enumerate(data.parts, start=1)]


def create_record(data: RecordData, actor: User) -> ServiceRecord:
    """Registers a 待处理 record under the customer's next number, routed to 客服部; the
    registrar is its 首问责任人 (and its 负责人 when they are 客服 people). A 重大 record is
    reported to the GM at once. Raises RecordRefused (nothing written, no number used)."""
    customer = rules.customer_of(data, actor)
    looked_up = _checked(data, customer, actor, None)
    number, sequence = next_number(customer)
    record = ServiceRecord(
        number=number, sequence=sequence, customer_id=customer.id,
        department_id=_service_department_id(), confidentiality=customer.confidentiality,
        status=ServiceStatus.PENDING, first_receiver_id=actor.id,
        handler_id=actor.id if serves(actor) else None, version=1)
    _apply(record, data, customer, looked_up)
    db.session.add(record)
    db.session.flush()
    db.session.add(ServiceEvent(record_id=record.id, kind=ServiceEventKind.CREATED,
                                user_id=actor.id, to_status=record.status, at=utcnow()))
    trail.record_event("service_record_created", record, actor,
                       audit.field_changes({}, described(record), PII))
    if record.major:
        notices.tell_gm(record, customer.name, actor)
    hooks.refresh_derived(record)
    return record


def load_for_edit(record: ServiceRecord) -> ServiceRecord:
    """The record with what an edit replaces (customer, parts, collaborators) loaded."""
    load_related([record], selectinload(ServiceRecord.customer),
                 selectinload(ServiceRecord.parts), selectinload(ServiceRecord.collaborators))
    return record


def _take_version(record: ServiceRecord, expected: int) -> None:
    """Moves the version on in one UPDATE that matches only while it is still `expected`: of
    two saves of the same form only one wins (EditConflict for the other)."""
    edits.check_version(record, expected)
    moved = db.session.execute(
        update(ServiceRecord).where(ServiceRecord.id == record.id,
                                    ServiceRecord.version == expected)
        .values(version=expected + 1).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise EditConflict
    record.version = expected + 1


def update_record(record: ServiceRecord, data: RecordData, expected_version: int, actor: User,
                  reason: str | None = None) -> dict:
    """Saves the content edited from `expected_version` (EditConflict if someone saved since).
    Once the customer has confirmed, the edit is a new version: a reason is required and the
    replaced content is kept in the history. The customer and 首问责任人 never change."""
    load_for_edit(record)
    customer = record.customer
    confirmed = record.confirmed_at is not None
    if confirmed and not (reason or "").strip():
        raise RecordRefused(_("客户确认后的修改会生成新版本，请填写修改原因。"), "reason")
    looked_up = _checked(data, customer, actor, record.id)
    edits.check_version(record, expected_version)
    data.contact_phone = data.contact_phone or record.contact_phone  # shown masked: blank keeps
    replaced, before = snapshot_json(record), described(record)
    was_major = record.major
    _apply(record, data, customer, looked_up)
    changes = audit.field_changes(before, described(record), PII)
    if not changes:
        db.session.rollback()  # the rows were written back as they were: nothing to keep
        return {}
    _take_version(record, expected_version)
    edits.flush_edit()
    # 服务时间, type, kind, priority, contract and expected time decide the deadlines.
    hooks.refresh_derived(record)
    if confirmed:
        db.session.add(ServiceEvent(record_id=record.id, kind=ServiceEventKind.REVISED,
                                    user_id=actor.id, reason=reason.strip(), snapshot=replaced,
                                    at=utcnow()))
        changes["reason"] = reason.strip()
    trail.record_event("service_record_revised" if confirmed else "service_record_updated",
                       record, actor, changes)
    if record.major and not was_major:
        notices.tell_gm(record, customer.name, actor)
    return changes
