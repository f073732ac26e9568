"""What a page shows of approval requests, loaded before its template runs (templates never
query): their signatures and submitter, and what the user may do with each (policy decides,
here rather than in the template)."""

from collections.abc import Callable

from sqlalchemy import Row, Select, bindparam, select
from sqlalchemy.orm import aliased, joinedload

from app import policy
from app.models import ApprovalRequest, RecordVersion, User
from app.policy import Action
from app.services.core.loading import load_related, read_rows
from app.services.core.pagination import CountedRows, Sort, kept_rows_page
from app.services.core.viewer_statements import for_viewer

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


# What an inbox item shows of its request (the row, its key figures from the snapshot, the
# current step's name from the frozen steps) and who submitted it.
_ITEM_COLUMNS = (ApprovalRequest.id, ApprovalRequest.flow_kind, ApprovalRequest.record_type,
                 ApprovalRequest.title, ApprovalRequest.created_at, ApprovalRequest.steps_json,
                 ApprovalRequest.current_step, ApprovalRequest.snapshot)


def _items(query: Select) -> Select:
    submitter = aliased(User)
    return (query.with_only_columns(*_ITEM_COLUMNS, submitter.full_name.label("submitter_name"))
            .join(submitter, submitter.id == ApprovalRequest.submitted_by_id))


def inbox_page(viewer: User, waiting: Callable[[], Select], after: str | None,
               before: str | None) -> CountedRows:
    """(page, count, capped) of the requests waiting for `viewer` (`waiting` builds the
    policy-scoped query), oldest first, as rows of their items; the statement is built once
    per viewer."""
    return kept_rows_page("approvals.inbox", viewer, None, waiting, _items, ApprovalRequest,
                          Sort(ApprovalRequest.id, False), after=after, before=before)


_ITEM = _items(select(ApprovalRequest)).where(ApprovalRequest.id == bindparam("request_id"))


def item_row(request_id: int) -> Row:
    """One request as its inbox item shows it (after it was shown, signed or refused)."""
    return read_rows(_ITEM, {"request_id": request_id})[0]


def recent_submissions(viewer: User, mine: Callable[[], Select], size: int = 10) -> list[Row]:
    """The viewer's newest `size` requests (`mine` builds the policy-scoped query) as the inbox
    lists them: id, kind, title and status only (not the frozen snapshot each row carries)."""
    columns = (ApprovalRequest.id, ApprovalRequest.flow_kind, ApprovalRequest.title,
               ApprovalRequest.status)
    statement = for_viewer("approvals.mine", viewer, lambda: mine().with_only_columns(*columns)
                           .order_by(ApprovalRequest.id.desc()).limit(size), extra=size)
    return read_rows(statement)
