"""Notices of the service records: a 重大 record is reported to the GM at once (首问负责制:
「凡涉及到单位重大事项,第一责任者要立即向总经理汇报」, 002 L30–44), and a new 负责人 learns of
their record."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import Role, User
from app.models.service.records import ServiceRecord
from app.services.core import notifications
from app.services.core.notifications import Link

MESSAGES = {
    "service_major": _l("重大客户服务事项「%(number)s」（%(customer)s）由 %(receiver)s 登记，"
                        "请知悉：%(content)s"),
    "service_assigned": _l("客户服务记录「%(number)s」（%(customer)s）已交由您负责。"),
}


def _link(record: ServiceRecord) -> Link:
    return Link("service.record_detail", {"record_id": record.id})


def tell_gm(record: ServiceRecord, customer_name: str, actor: User) -> None:
    """Notifies every active GM of a 重大 record, in the caller's transaction."""
    gms = db.session.scalars(select(User.id).where(User.role == Role.GM, User.active.is_(True)))
    for gm_id in gms:
        notifications.notify(gm_id, "service_major", _link(record), number=record.number,
                             customer=customer_name, receiver=actor.full_name,
                             content=record.content[:100])


def tell_handler(record: ServiceRecord, customer_name: str, actor: User) -> None:
    """Notifies the new 负责人 (unless they gave it to themselves)."""
    if record.handler_id and record.handler_id != actor.id:
        notifications.notify(record.handler_id, "service_assigned", _link(record),
                             number=record.number, customer=customer_name)
