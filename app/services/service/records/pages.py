"""What a service record's page shows, loaded before the template runs (the relationships are
lazy="raise"): the customer, the people, the parts, the history with every name it mentions,
the linked contract and earlier record, and what the user may do."""

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Contract, Department, DeptCode, Role, User
from app.models.service.records import ServiceEvent, ServiceEventKind, ServiceRecord
from app.policy.service import serves
from app.services.core.loading import load_related
from app.services.core.money import total
from app.services.core.pii import mask_phone
from app.services.service.records.data import tags_of
from app.services.service.records.workflow import allowed_next

PAGE_LOADS = (selectinload(ServiceRecord.customer), selectinload(ServiceRecord.first_receiver),
              selectinload(ServiceRecord.handler), selectinload(ServiceRecord.collaborators),
              selectinload(ServiceRecord.parts),
              selectinload(ServiceRecord.events).selectinload(ServiceEvent.user))


@dataclass
class RecordPage:
    record: ServiceRecord
    tags: list
    names: dict[int, str]  # user id: full name, for the history's from/to people
    contract_number: str | None
    rework_number: str | None
    parts_total: object
    sold_total: object
    snapshots: dict[int, str] = field(default_factory=dict)  # event id: replaced, masked
    next_statuses: tuple = ()
    handlers: list[tuple[int, str]] = field(default_factory=list)


def _people(record: ServiceRecord) -> dict[int, str]:
    ids = {i for e in record.events for i in (e.from_user_id, e.to_user_id) if i}
    if record.confirmation_recorded_by_id:
        ids.add(record.confirmation_recorded_by_id)
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def _snapshots(record: ServiceRecord) -> dict[int, str]:
    """What each new version replaced, as the page shows it: the phone masked."""
    shown = {}
    for event in record.events:
        if event.kind == ServiceEventKind.REVISED and event.snapshot:
            values = json.loads(event.snapshot)
            values["contact_phone"] = mask_phone(values.get("contact_phone"))
            shown[event.id] = json.dumps(values, ensure_ascii=False, indent=1)
    return shown


def _contract_number(record: ServiceRecord, user) -> str | None:
    """The linked contract's number, if the user's clearance reaches the contract's level."""
    if record.contract_id is None:
        return None
    number, level = db.session.execute(select(Contract.number, Contract.confidentiality)
                                       .where(Contract.id == record.contract_id)).one()
    return number if level <= user.clearance else None


def handler_choices() -> list[tuple[int, str]]:
    """(id, name) of the active 客服部 people a record may be given to."""
    query = (select(User.id, User.full_name).join(Department, Department.id == User.department_id)
             .where(Department.code == DeptCode.SERVICE, User.active.is_(True),
                    User.role.in_((Role.STAFF, Role.MANAGER))).order_by(User.full_name))
    return [tuple(row) for row in db.session.execute(query)]


def record_page(record: ServiceRecord, user, may_act: bool) -> RecordPage:
    """Everything the record's page shows, in a fixed number of statements."""
    load_related([record], *PAGE_LOADS)
    rework = (db.session.scalar(select(ServiceRecord.number)
                                .where(ServiceRecord.id == record.rework_of_id))
              if record.rework_of_id else None)
    return RecordPage(
        record=record, tags=tags_of(record.tags), names=_people(record),
        contract_number=_contract_number(record, user), rework_number=rework,
        parts_total=total(p.amount for p in record.parts),
        sold_total=total(p.amount for p in record.parts if p.sold),
        snapshots=_snapshots(record),
        next_statuses=allowed_next(record) if may_act else (),
        handlers=handler_choices() if may_act and serves(user) else [])
