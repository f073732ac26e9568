"""In-app notices: stored as a kind and parameters, worded in the reader's language. The
platform's kinds are below; a department adds its own with register_messages."""

import json
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, bindparam, func, select, update

from app.extensions import db
from app.models.base import utcnow
from app.models.notifications import Notification
from app.services.core.loading import read_rows

MESSAGES = {
    "approval_approved": _l("您提交的「%(title)s」已审批通过。"),
    "approval_rejected": _l("您提交的「%(title)s」被驳回：%(comment)s"),
    "change_notice": _l("「%(title)s」已变更，请知悉。"),
    "contract_change_notice": _l("合同「%(title)s」已变更：%(content)s。请按变更后的合同执行。"),
    "ownership_requested": _l("%(requester)s 申请接手您的客户「%(customer)s」，待经理决定。"),
    "ownership_transferred": _l("客户「%(customer)s」已经批准转由 %(new_owner)s 负责。"),
    "ownership_kept": _l("%(requester)s 接手客户「%(customer)s」的申请未获批准，客户仍由您负责。"),
    "ownership_closed": _l("客户「%(customer)s」已重新指派给 %(new_owner)s，您的接手申请已关闭。"),
    "reassigned": _l("您已接手 %(who)s 的客户 %(c)d 个、合同 %(k)d 份、拜访计划 %(v)d 条。"),
}


def register_messages(messages: dict) -> None:
    """Adds a department's notice kinds ({kind: lazily translated text with its %(name)s
    parameters}) from its plug_in. Registering the same text again is harmless (an app made
    twice); a kind already worded otherwise is refused (ValueError), so that no department
    rewords another's notices, stored ones included."""
    for kind, text in messages.items():
        if kind in MESSAGES and str(MESSAGES[kind]) != str(text):
            raise ValueError(f"notice kind {kind!r} is already registered with another text")
    MESSAGES.update(messages)


@dataclass(frozen=True)
class Link:
    """A page to point at, independent of any request (services run in jobs too)."""

    endpoint: str
    values: dict = field(default_factory=dict)

    def url(self) -> str:
        return url_for(self.endpoint, **self.values)


def notify(user_id: int, kind: str, link: Link | None = None, **params) -> None:
    """Adds a notice for one user in the caller's transaction."""
    db.session.add(Notification(
        user_id=user_id, kind=kind, params=json.dumps(params, ensure_ascii=False),
        link_endpoint=link.endpoint if link else None,
        link_args=json.dumps(link.values if link else {})))


def link_of(notice: Notification | Row) -> Link | None:
    if not notice.link_endpoint:
        return None
    return Link(notice.link_endpoint, json.loads(notice.link_args))


def message(notice: Notification | Row) -> str:
    return str(MESSAGES[notice.kind]) % json.loads(notice.params)


def unread_counting(user_id: int):
    """SELECT the number of the user's unread notices (run inside the badge's statement)."""
    return select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))


# Built once: every inbox page asks it; the user and the number bound. Rows of the columns a
# notice is shown by (message, link, time, read), not entities: the page only reads them.
_RECENT = (select(Notification.id, Notification.kind, Notification.params,
                  Notification.link_endpoint, Notification.link_args, Notification.created_at,
                  Notification.read_at)
           .where(Notification.user_id == bindparam("user"))
           .order_by(Notification.id.desc()).limit(bindparam("limit")))


def recent(user_id: int, limit: int = 20) -> list[Row]:
    """The user's newest `limit` notices, as rows carrying what message() and link_of() read."""
    return read_rows(_RECENT, {"user": user_id, "limit": limit})


def mark_all_read(user_id: int) -> None:
    db.session.execute(update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)).values(read_at=utcnow()))
