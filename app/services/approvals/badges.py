"""The navigation badge and the home page's to-do: what waits for the user's signature
(counted no further than 99) and their unread notices, in one statement. The badge is polled by
every open page, so it costs one round trip to the database, not two."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app import policy
from app.extensions import db
from app.models import ApprovalRequest
from app.policy import Action
from app.services.core.notifications import unread_counting

CAP = 99


@dataclass(frozen=True)
class Todo:
    waiting: int  # at most CAP
    capped: bool  # more than CAP wait
    unread: int


def todo(user) -> Todo:
    """The user's waiting requests (policy's inbox scope) and unread notices."""
    waiting = (policy.scope(select(ApprovalRequest.id), user, ApprovalRequest, Action.APPROVE)
               .limit(CAP + 1).subquery())
    counted = select(func.count()).select_from(waiting).scalar_subquery()
    total, unread = db.session.execute(
        select(counted, unread_counting(user.id).scalar_subquery())).one()
    return Todo(min(total, CAP), total > CAP, unread)
