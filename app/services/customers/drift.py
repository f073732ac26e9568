"""What changed in a customer since its latest signature, and what a pending change request
proposes: the print says so instead of a plain 签字有效. A signature attests the key fields
(review.CHANGE_FIELDS); the others change at once and are audited, so their signed values are
the old values of the first audit events written after the signed version."""

import json

from sqlalchemy import select

from app.extensions import db
from app.models import (
    AuditEvent,
    Customer,
    CustomerKind,
    CustomerType,
    Grade,
    Industry,
    Level,
    RecordVersion,
    Source,
)
from app.services.core.audit import CHANGED, plain_value
from app.services.core.pii import mask_id_number, mask_phone
from app.services.customers.fields import FIELD_LABELS, FieldChange
from app.services.customers.operations import EDITABLE

_CHOICES = {"kind": CustomerKind, "industry": Industry, "type": CustomerType, "grade": Grade,
            "source": Source}
_MASKS = {"phone": mask_phone, "id_number": mask_id_number}
_HIDDEN = "＊＊＊"  # a signed personal value: the audit trail holds only that it changed


def _plain(value):
    return None if value in (None, "") else plain_value(value)


def current_values(customer: Customer) -> dict:
    """The customer's audited fields as its audit events write them."""
    values = {field: _plain(getattr(customer, field)) for field in EDITABLE}
    values["owner"] = _plain(str(customer.owner) if customer.owner else None)
    return values


def shown(field: str, value) -> str:
    """A plain (audited) value as people read it: choices as labels, personal data masked."""
    if value in (None, ""):
        return "—"
    if field in _MASKS:
        return _HIDDEN if value == CHANGED else _MASKS[field](str(value))
    if field in _CHOICES:
        return str(_CHOICES[field](value).label)
    if field == "confidentiality":
        return str(Level(int(value)).label)
    return str(value)


def changed_since(customer: Customer, version: RecordVersion) -> list[FieldChange]:
    """The fields whose value now differs from the one they had when `version` was signed,
    as label: signed → current, in the order of the form."""
    events = db.session.scalars(
        select(AuditEvent.changes).where(AuditEvent.object_type == "Customer",
                                         AuditEvent.object_id == customer.id,
                                         AuditEvent.at > version.created_at)
        .order_by(AuditEvent.id))
    signed: dict = {}
    for changes in events:
        for field, change in json.loads(changes).items():
            if field in FIELD_LABELS and field not in signed:
                signed[field] = CHANGED if change == CHANGED else _plain(change[0])
    now = current_values(customer)
    order = [*EDITABLE, "owner"]
    return [FieldChange(field, shown(field, signed[field]), shown(field, now[field]))
            for field in order
            if field in signed and (signed[field] == CHANGED or signed[field] != now[field])]
