"""Adding a follow-up to a service record. Refused, with nothing saved, when follow-ups have
stopped (已关闭, 客户放弃), when the communication is in the future or its points are empty.
Entered more than an hour after the communication it is marked 补录 (004 L200: counted in the
statistics, never refused). 客户放弃 marks the record abandoned; every follow-up moves the
record's next due date (schedule)."""

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from app.extensions import db
from app.models import User
from app.models.base import utcnow
from app.models.service.follow_ups import FollowUpResult, ServiceFollowUp
from app.models.service.records import ServiceRecord, ServiceStatus
from app.services.core import audit, errors
from app.services.service.follow_ups import schedule
from app.timeutil import local_now, to_local

# 「跟进记录需在沟通结束后1小时内录入系统」 (004 L200): later entries are 补录.
ENTRY_LIMIT = timedelta(hours=1)
FIELDS = ("communicated_at", "points", "progress", "next_action", "next_due", "result",
          "remarks", "late")


class Refused(errors.Refused):
    """A follow-up the record's state or the entered values do not allow."""


@dataclass
class FollowUpData:
    communicated_at: datetime  # naive local time (沟通时间)
    points: str
    result: FollowUpResult = FollowUpResult.UNRESOLVED
    progress: str | None = None
    next_action: str | None = None
    next_due: date | None = None
    remarks: str | None = None


def _local_naive(stamp: datetime) -> datetime:
    """A stored UTC stamp as naive local time, comparable with business times."""
    return to_local(stamp).replace(tzinfo=None)


def in_future(communicated_at: datetime) -> bool:
    """Whether a local time is later than the current minute."""
    return communicated_at > local_now().replace(tzinfo=None, second=59, microsecond=999999)


def is_late(communicated_at: datetime, entered_at: datetime) -> bool:
    """补录: entered (UTC stamp) more than an hour after the communication (local time)."""
    return _local_naive(entered_at) - communicated_at > ENTRY_LIMIT


def check_open(record: ServiceRecord) -> None:
    """Refuses a follow-up on a record whose follow-ups have stopped."""
    if record.status == ServiceStatus.CLOSED:
        raise Refused(_("该服务记录已关闭，不再跟进。"))
    if record.abandoned:
        raise Refused(_("客户已放弃，该服务记录不再跟进。"))


def _check_values(data: FollowUpData) -> None:
    """Refuses what the form should have caught, for callers without the form."""
    if not (data.points or "").strip():
        raise Refused(_("请填写沟通要点。"), "points")
    if in_future(data.communicated_at):
        raise Refused(_("沟通时间不能晚于现在。"), "communicated_at")


def add_follow_up(record: ServiceRecord, data: FollowUpData, actor: User) -> ServiceFollowUp:
    """Records a follow-up by `actor` (the caller checked policy), marks it 补录 when late,
    gives up the record on 客户放弃 and stores the record's next due date."""
    check_open(record)
    _check_values(data)
    entered_at = utcnow()
    follow_up = ServiceFollowUp(record_id=record.id, user_id=actor.id, entered_at=entered_at,
                                late=is_late(data.communicated_at, entered_at), **asdict(data))
    follow_up.points = data.points.strip()
    db.session.add(follow_up)
    if data.result == FollowUpResult.ABANDONED:
        record.abandoned = True
    schedule.refresh_next_due(record)
    # The level given: level_of would read record.customer, which is not loaded here.
    values = {field: getattr(follow_up, field) for field in FIELDS}
    audit.record("service_follow_up_added", record, actor=actor, object_label=record.number,
                 level=record.confidentiality, changes=audit.field_changes({}, values))
    if record.abandoned:
        audit.record("service_record_abandoned", record, actor=actor,
                     object_label=record.number, level=record.confidentiality,
                     changes={"abandoned": [False, True]})
    return follow_up
