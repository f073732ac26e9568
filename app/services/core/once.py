"""One-time form tokens. Every create and money-moving form carries a token signed for its
user; the transaction that saves the record also writes the token's row (FormSubmission, whose
nonce is unique), so of two identical posts (a double click, a retry after a timeout) only one
commits and the other answers with the first one's result. A post that saves nothing (invalid,
refused) leaves the token unspent: corrected, the same form can still be sent.

The rows are read and finished on a connection of their own, never through the request's
session: a view that fails leaves unsaved changes there which must not be flushed or committed.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.base import utcnow
from app.models.submissions import FormSubmission

# A form left open longer than this must be reloaded; spent tokens are kept twice as long.
MAX_AGE = timedelta(days=1)
_SALT = "taizhang.once-form-token"
# The session.info keys: the token the request's next commit spends, the one a commit under
# way writes, and the one a commit spent.
_PENDING = "once_pending"
_ADDING = "once_adding"
_SPENT = "once_spent"


class BadToken(Exception):  # noqa: N818 (a refusal, named like the others)
    def __init__(self, message: str):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Result:
    """What the first post of a token answered: where to see it again (None while it runs)."""

    location: str | None
    status: int | None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def issue(user_id: int) -> str:
    """A fresh token for a form shown to `user_id`."""
    return _serializer().dumps([user_id, secrets.token_hex(16)])


def nonce_of(token: str, user_id: int) -> str:
    """The token's nonce, when it was issued to `user_id` within MAX_AGE; BadToken otherwise."""
    try:
        owner, nonce = _serializer().loads(token, max_age=int(MAX_AGE.total_seconds()))
    except SignatureExpired as error:
        raise BadToken(_l("表单已打开超过一天，请刷新页面后重新填写提交。")) from error
    except (BadSignature, ValueError, TypeError) as error:
        raise BadToken(_l("表单令牌无效，请刷新页面后重新提交。")) from error
    if owner != user_id or not isinstance(nonce, str):
        raise BadToken(_l("该表单不是为您打开的，请刷新页面后重新提交。"))
    return nonce


def spend_on_commit(nonce: str, user_id: int, endpoint: str) -> None:
    """The request session's next commit writes the token's row with whatever it saves."""
    db.session.info[_PENDING] = (nonce, user_id, endpoint[:100])
    db.session.info.pop(_SPENT, None)


def stop_spending() -> bool:
    """Ends the request's spending; True when one of its commits spent the token."""
    for key in (_PENDING, _ADDING):
        db.session.info.pop(key, None)
    return db.session.info.pop(_SPENT, None) is not None


@event.listens_for(Session, "before_commit")
def _spend(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        nonce, user_id, endpoint = pending
        session.add(FormSubmission(nonce=nonce, user_id=user_id, endpoint=endpoint))
        session.info[_ADDING] = pending


@event.listens_for(Session, "after_commit")
def _spent(session: Session) -> None:
    if (adding := session.info.pop(_ADDING, None)) is not None:
        session.info[_SPENT] = adding[0]


@event.listens_for(Session, "after_rollback")
def _not_spent(session: Session) -> None:
    """A commit that failed spent nothing: the next one writes the token's row again."""
    if (adding := session.info.pop(_ADDING, None)) is not None:
        session.info[_PENDING] = adding


def first_result(nonce: str) -> Result | None:
    """The result of the post that spent this token, or None when it is unspent."""
    with db.engine.connect() as conn:
        row = conn.execute(select(FormSubmission.location, FormSubmission.status).where(
            FormSubmission.nonce == nonce)).first()
    return Result(row.location, row.status) if row else None


def await_result(nonce: str, seconds: float = 5.0) -> Result | None:
    """After losing a race for the token: the winner's result, once it has recorded where it
    is shown (a moment after its commit); None when nobody spent the token."""
    deadline = time.monotonic() + seconds
    while (result := first_result(nonce)) is not None and result.location is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return result


def record_result(nonce: str, location: str, status: int) -> None:
    """Where the spent token's record is shown, for any repeat of the token. Tokens too old
    to be sent again are dropped on the way."""
    with db.engine.begin() as conn:
        conn.execute(update(FormSubmission).where(FormSubmission.nonce == nonce).values(
            location=location[:500], status=status))
        conn.execute(delete(FormSubmission).where(
            FormSubmission.created_at < utcnow() - 2 * MAX_AGE))


def give_back(nonce: str) -> None:
    """A post that committed something (a mistyped signing password is counted) but saved
    nothing: its token stays usable."""
    with db.engine.begin() as conn:
        conn.execute(delete(FormSubmission).where(FormSubmission.nonce == nonce))
