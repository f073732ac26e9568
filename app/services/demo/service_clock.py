"""The demo's simulated clock for the service records: a year of history is made through the
real services in a few seconds, each action at the moment it is told to have happened.

The services stamp the rows they insert with the real time (utcnow). While the clock runs, ORM
hooks stamp those rows with the simulated moment instead, before the row is written, so that
everything computed from them is computed as it would have been: the SLA clock (status events'
times), 补录 (a follow-up's entry time), the after-service visit's due day (the 已完成 event's
day). The real time stays in the audit trail, as for the rest of the demo data."""

from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event

from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import ServiceEvent, ServiceRecord
from app.services.service.follow_ups.operations import is_late
from app.timeutil import local_zone


def to_utc(moment: datetime) -> datetime:
    """A naive local time as the naive UTC stamp the services store."""
    return moment.replace(tzinfo=local_zone()).astimezone(UTC).replace(tzinfo=None)


class DemoClock:
    """The moment (naive local time) the next service action happens at."""

    def __init__(self):
        self.moment: datetime | None = None

    def at(self, moment: datetime) -> datetime:
        """Moves the clock to `moment` and returns it."""
        self.moment = moment
        return moment

    def utc(self, moment: datetime | None = None) -> datetime:
        """`moment` (default: the clock's) as a naive UTC stamp, as the services store them."""
        return to_utc(moment or self.moment)

    def _event(self, _mapper, _connection, target: ServiceEvent) -> None:
        """A history entry happens now (the status clock and the visit's day read it)."""
        target.at = self.utc()

    def _record(self, _mapper, _connection, target: ServiceRecord) -> None:
        """A record is registered now."""
        target.created_at = target.updated_at = self.utc()

    def _follow_up(self, _mapper, _connection, target: ServiceFollowUp) -> None:
        """A follow-up is entered now: 补录 when that is over an hour after the talk."""
        target.entered_at = self.utc()
        target.late = is_late(target.communicated_at, target.entered_at)

    @contextmanager
    def running(self):
        """The hooks are installed only while the demo's service actions run."""
        hooks = ((ServiceEvent, self._event), (ServiceRecord, self._record),
                 (ServiceFollowUp, self._follow_up))
        for model, hook in hooks:
            event.listen(model, "before_insert", hook)
        try:
            yield self
        finally:
            for model, hook in hooks:
                event.remove(model, "before_insert", hook)
