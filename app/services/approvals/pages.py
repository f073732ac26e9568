"""What a page shows of approval requests, loaded before its template runs (templates never
query): their signatures and submitter, and what the user may do with each (policy decides,
here rather than in the template)."""

from sqlalchemy import Row, Select
from sqlalchemy.orm import joinedload

from app import policy
from app.extensions import db
from app.models import ApprovalRequest, RecordVersion
from app.policy import Action
from app.services.core.loading import load_related
from app.services.core.pagination import Page, Sort, keyset_page

# What a request shows wherever it is listed: the signature block and who submitted it. The
# signatures (a request has one per step, a handful) are joined rather than selected apart:
# selectinload's second statement costs four times a plain one to prepare (0.45 ms a page).
REQUEST_LOADS = (joinedload(ApprovalRequest.signatures),
                 joinedload(ApprovalRequest.submitted_by))
# A signed version with the request whose signatures attest it.
VERSION_LOADS = (joinedload(RecordVersion.approval_request).joinedload(
    ApprovalRequest.signatures),)


def load_requests(requests) -> None:
    """The requests' signatures and submitters, in two statements for all of them."""
    load_related(requests, *REQUEST_LOADS)


def allowed(user, action: Action, requests) -> set[int]:
    """The ids of the requests (None skipped) on which policy lets `user` do `action`."""
    return {r.id for r in requests if r is not None and policy.can(user, action, r)}


def inbox_page(waiting: Select, after: str | None, before: str | None) -> Page:
    """One page of the requests waiting for the user (`waiting`: policy-scoped), oldest first,
    with their submitters."""
    query = waiting.options(joinedload(ApprovalRequest.submitted_by))
    return keyset_page(query, ApprovalRequest, Sort(ApprovalRequest.id, False), after=after,
                       before=before)


def recent_submissions(mine: Select, size: int = 10) -> list[Row]:
    """The user's newest `size` requests (`mine`: policy-scoped) as the inbox lists them: id,
    kind, title and status only (not the frozen snapshot each row carries)."""
    columns = (ApprovalRequest.id, ApprovalRequest.flow_kind, ApprovalRequest.title,
               ApprovalRequest.status)
    return list(db.session.execute(mine.with_only_columns(*columns)
                                   .order_by(ApprovalRequest.id.desc()).limit(size)))
