"""What a change of a record's history recomputes in the other service ledgers: its stored SLA
deadlines and breach flags (services/service/sla) and its next follow-up due time
(services/service/follow_ups). One function, so that every path that changes a record
(create, assign, status, reopen, confirmation) refreshes both."""

from app.models.service.records import ServiceRecord
from app.services.service.follow_ups import schedule
from app.services.service.sla import deadlines


def refresh_derived(record: ServiceRecord) -> None:
    """Recomputes the record's stored deadlines, breach flags and next follow-up due time."""
    deadlines.refresh(record)
    schedule.refresh_next_due(record)
