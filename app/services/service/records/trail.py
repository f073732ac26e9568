"""The audit events of service records: labelled by the record's number, at the record's own
confidentiality (its customer is not loaded for every action)."""

from app.models import User
from app.models.service.records import ServiceRecord
from app.services.core import audit


def record_event(action: str, record: ServiceRecord, actor: User, changes: dict) -> None:
    """Appends one audit event about `record` in the caller's transaction."""
    audit.record(action, record, actor=actor, object_label=record.number, changes=changes,
                 level=record.confidentiality)
