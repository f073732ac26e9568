"""A service record's values as the forms give them (表2 with the 记录规范 extras, the after-sales
ledger's blocks and the parts used or sold), and the canonical JSON a new version keeps of
what it replaced."""

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from app.models.service.records import (
    AfterSalesKind,
    NeedTag,
    Priority,
    ServiceRecord,
    ServiceType,
)
from app.services.core.money import line_amount

# The content a guarded edit or a new version changes (never the customer, the number, the
# 首问责任人, the status or the confirmation: those have their own actions).
CONTENT_FIELDS = (
    "service_type", "after_sales_kind", "priority", "tags", "service_at", "communicated_at",
    "content", "request_text", "customer_contact", "contact_phone", "expected_at", "place",
    "delivery_address", "major", "contract_id", "rework_of_id", "solution", "result",
    "feedback", "remarks")


@dataclass
class PartData:
    """更换部件/配件: name, spec, quantity, sold?, unit price; the amount is always computed."""

    name: str
    spec: str | None
    quantity: Decimal
    sold: bool
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return line_amount(self.quantity, self.unit_price)


@dataclass
class RecordData:
    """What the register and edit forms give the service. `contract_number` and `rework_of`
    are numbers as typed (checked against the record's customer)."""

    customer_id: int | None
    service_type: ServiceType
    content: str
    priority: Priority = Priority.MEDIUM
    after_sales_kind: AfterSalesKind | None = None
    tags: list[NeedTag] = field(default_factory=list)
    service_at: datetime | None = None
    communicated_at: datetime | None = None
    request_text: str | None = None
    customer_contact: str | None = None
    contact_phone: str | None = None
    expected_at: datetime | None = None
    place: str | None = None
    delivery_address: str | None = None
    major: bool = False
    contract_number: str | None = None
    rework_of: str | None = None
    solution: str | None = None
    result: str | None = None
    feedback: str | None = None
    remarks: str | None = None
    collaborator_ids: list[int] = field(default_factory=list)
    parts: list[PartData] = field(default_factory=list)


def tag_codes(tags: list[NeedTag]) -> str:
    """客户需求标签 as stored: codes in the choice's order, comma-separated."""
    chosen = set(tags)
    return ",".join(tag.value for tag in NeedTag if tag in chosen)


def tags_of(stored: str | None) -> list[NeedTag]:
    """The stored tags as choices (unknown codes are dropped)."""
    known = {tag.value: tag for tag in NeedTag}
    return [known[code] for code in (stored or "").split(",") if code in known]


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if hasattr(value, "value"):
        return value.value
    return value


def snapshot(record: ServiceRecord) -> dict:
    """The record's content and parts as canonical values (the parts must be loaded)."""
    values = {name: _plain(getattr(record, name)) for name in CONTENT_FIELDS}
    values["collaborator_ids"] = sorted(user.id for user in record.collaborators)
    values["parts"] = [{"name": p.name, "spec": p.spec, "quantity": str(p.quantity),
                        "sold": p.sold, "unit_price": str(p.unit_price),
                        "amount": str(p.amount)} for p in record.parts]
    return values


def snapshot_json(record: ServiceRecord) -> str:
    return json.dumps(snapshot(record), ensure_ascii=False, sort_keys=True)


def described(record: ServiceRecord) -> dict:
    """The record as the audit trail records it: the content, with the parts as one text."""
    values = snapshot(record)
    values["parts"] = "; ".join(f"{p['name']} {p['spec'] or ''} {p['quantity']}×"
                                f"{p['unit_price']}={p['amount']}" for p in values["parts"])
    values["collaborator_ids"] = ",".join(str(i) for i in values["collaborator_ids"])
    return values
