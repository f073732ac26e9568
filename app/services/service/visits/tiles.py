"""The service department's tiles on 我的工作台 (services.core.home_tiles): return visits due
soon and overdue, overdue follow-ups, SLA breaches of open records. Each figure is one capped
count in the user's policy scope; who is outside 客服部 (and not the GM) gets no tile."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app import policy
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import OPEN_STATUSES, ServiceRecord
from app.models.service.visits import ReturnVisit
from app.policy import Action
from app.services.core.home_tiles import Figure, Tile
from app.services.service.follow_ups.lists import overdue_query as overdue_follow_ups
from app.services.service.visits.lists import OVERDUE, due_within, overdue
from app.services.service.visits.settings import TILE_DAYS, setting


def _works_in_service(user) -> bool:
    return policy.can(user, Action.VIEW, "service")


def visits_tile(user, today: date) -> Tile | None:
    """回访: due within the next N days (SERVICE_VISIT_TILE_DAYS) and overdue."""
    if not (_works_in_service(user) and policy.can(user, Action.VIEW, ReturnVisit)):
        return None
    days = setting("TILE_DAYS", TILE_DAYS)
    scoped = policy.scope(select(ReturnVisit), user, ReturnVisit)
    last = date.fromordinal(today.toordinal() + days)
    return Tile("return-visits", _("回访"), (
        Figure("visits-due-soon", _("%(n)d 天内到期", n=days), endpoint="service.visit_list",
               args={"status": "due", "start": today.isoformat(), "end": last.isoformat()},
               counting=due_within(scoped, today, days), model=ReturnVisit),
        Figure("visits-overdue", _("已逾期"), endpoint="service.visit_list",
               args={"status": OVERDUE}, alert=True, counting=overdue(scoped, today),
               model=ReturnVisit)))


def follow_ups_tile(user, today: date) -> Tile | None:
    """跟进: the user's overdue follow-ups (the follow-ups ledger counts them)."""
    if not (_works_in_service(user) and policy.can(user, Action.VIEW, ServiceFollowUp)):
        return None
    return Tile("follow-ups", _("跟进"), (
        Figure("follow-ups-overdue", _("逾期未跟进"), endpoint="service.follow_up_overdue",
               alert=True, counting=overdue_follow_ups(user, today), model=ServiceRecord),))


def sla_tile(user, today: date) -> Tile | None:
    """SLA: open records in the user's scope whose response or resolution deadline passed
    (the stored breach flags, kept by the SLA job)."""
    if not (_works_in_service(user) and policy.can(user, Action.VIEW, ServiceRecord)):
        return None
    breached = policy.scope(select(ServiceRecord), user, ServiceRecord).where(
        ServiceRecord.status.in_(OPEN_STATUSES),
        or_(ServiceRecord.response_breached.is_(True),
            ServiceRecord.resolution_breached.is_(True)))
    return Tile("sla", _("服务时限"), (
        Figure("sla-breached", _("未结服务单已超时"), endpoint="service.record_list",
               args={"breached": "y"}, alert=True, counting=breached, model=ServiceRecord),))
