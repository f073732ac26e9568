"""Viewing receipts (阅览凭证): proof, carried by the sign form, that this sign-in session was
shown the request's content with this hash.

The page or inbox row that shows a request's card embeds a receipt signed with the application's
key, naming the request, the hash of the snapshot shown, the user and their server-side session.
A signature is accepted only with a receipt for the same request, user and session whose hash is
still the request's: nobody signs what they were not shown in this session, nor content that
changed since. A receipt rides in the form rather than in the cookie session, so rows expanded
at the same moment (parallel htmx requests) never overwrite each other's record of being shown,
and any web node can check it.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.models import ApprovalRequest, User

SALT = "approvals.shown"
# A receipt outlives no working day; the session's own idle timeout usually ends it first.
MAX_AGE_SECONDS = 12 * 3600


@dataclass(frozen=True)
class Receipt:
    request_id: int
    content_hash: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue(request: ApprovalRequest, shown_hash: str, user: User, session_id: int) -> str:
    """The receipt for having shown `user`, in session `session_id`, the request's content
    whose hash is `shown_hash`."""
    return _serializer().dumps({"r": request.id, "h": shown_hash, "u": user.id,
                                "s": session_id})


def read(tokens: list[str], user: User, session_id: int) -> dict[int, Receipt]:
    """{request id: receipt} of the tokens that are genuine, recent and this user's in this
    session; anything else is ignored (as if that content had not been shown)."""
    found = {}
    for token in tokens:
        try:
            data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
        except BadSignature:
            continue
        if not isinstance(data, dict) or data.get("u") != user.id or data.get("s") != session_id:
            continue
        if isinstance(data.get("r"), int) and isinstance(data.get("h"), str):
            found[data["r"]] = Receipt(data["r"], data["h"])
    return found


def refusal(request: ApprovalRequest, receipt: Receipt | None) -> str | None:
    """Why the user may not sign this request with this receipt: content never shown in this
    session, or content that changed since it was shown."""
    if receipt is None:
        return _("请先查看审批内容（展开该事项或打开审批页），确认后再签字。")
    if receipt.content_hash != request.content_hash:
        return _("审批内容在您查看之后已发生变化，请重新查看后再签字。")
    return None
