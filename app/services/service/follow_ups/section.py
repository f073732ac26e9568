"""The follow-ups section of a service record's page (service/follow_up/_section.html): the
follow-ups newest first with who made them, the next due date, and the form for whoever may
add one. A fixed number of statements whatever the number of follow-ups."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import joinedload

from app import policy
from app.extensions import db
from app.models import User
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import ServiceRecord
from app.policy import Action
from app.services.service.follow_ups import schedule
from app.services.service.follow_ups.forms import FollowUpForm
from app.timeutil import local_now

SHOWN = 200  # follow-ups listed on the page; a record with more says how many are left out


@dataclass
class FollowUpSection:
    record: ServiceRecord
    follow_ups: list[ServiceFollowUp]
    total: int
    late: int  # 补录 among them
    next_due: datetime | None
    overdue: bool
    open: bool  # still followed up (not 已关闭, not 客户放弃)
    may_add: bool
    form: FollowUpForm | None  # shown when may_add; a refused post's errors in any case


def may_add(user: User, record: ServiceRecord) -> bool:
    """Whether `user` may add a follow-up to `record` (policy; the record's state aside)."""
    return policy.can(user, Action.CREATE, ServiceFollowUp(record_id=record.id))


def _follow_ups(record: ServiceRecord) -> tuple[list[ServiceFollowUp], int, int]:
    """The newest SHOWN follow-ups with their users, their total and how many are 补录, in
    one statement (the counts ride along as windows over the whole record)."""
    rows = db.session.execute(
        select(ServiceFollowUp, func.count().over(),
               func.sum(cast(ServiceFollowUp.late, Integer)).over())
        .where(ServiceFollowUp.record_id == record.id)
        .options(joinedload(ServiceFollowUp.user))
        .order_by(ServiceFollowUp.communicated_at.desc(), ServiceFollowUp.id.desc())
        .limit(SHOWN)).all()
    if not rows:
        return [], 0, 0
    return [row[0] for row in rows], rows[0][1], int(rows[0][2] or 0)


def section_context(record: ServiceRecord, user: User,
                    form: FollowUpForm | None = None) -> dict:
    """Everything the section needs, as {"follow_up_section": FollowUpSection}: spread it into
    the page's context (**section_context(record, user)). `form` is a posted form coming back
    with its errors; otherwise a blank one when the user may add a follow-up."""
    follow_ups, total, late = _follow_ups(record)
    still_open = schedule.follows_up(record)
    allowed = still_open and may_add(user, record)
    if allowed and form is None:
        form = FollowUpForm(formdata=None).start()
    due = record.next_follow_up_due
    today = local_now().replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    return {"follow_up_section": FollowUpSection(
        record=record, follow_ups=follow_ups, total=total, late=late, next_due=due,
        overdue=bool(due and still_open and due < today), open=still_open, may_add=allowed,
        form=form)}
