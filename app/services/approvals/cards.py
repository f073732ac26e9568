"""What a signer reads before signing: the card of a request's frozen snapshot (the kind's own,
registered with record_kinds.register_card, or a plain listing of the snapshot), and the key
figures each inbox row shows."""

import json
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _

from app.models import ApprovalRequest
from app.services.approvals import engine as approvals
from app.services.approvals.sheet import proposed_changes
from app.services.approvals.signatures import content_hash
from app.services.core import record_kinds
from app.services.core.record_kinds import Card, Figure

GENERIC = "approvals/_card_generic.html"


@dataclass
class ShownCard:
    """A request's card, the hash of the snapshot it was built from, and the receipt of having
    shown it that the sign forms carry (set by the view that shows it)."""

    card: Card
    content_hash: str
    receipt: str = ""


def snapshot_of(request: ApprovalRequest) -> dict:
    return json.loads(request.snapshot)


def card_of(request: ApprovalRequest) -> ShownCard:
    """The card of what the request signs, built from its frozen snapshot; a change's old → new
    rows come from its kind's `changes` when the card does not list them itself."""
    snapshot = snapshot_of(request)
    record = approvals.record_of(request)
    maker = record_kinds.card_maker(request.record_type)
    if maker is not None:
        card = maker.card(snapshot, record)
    else:
        card = Card(GENERIC, {"values": _plain_values(snapshot)})
    if not card.changes and record is not None:
        card.changes = proposed_changes(request)
    return ShownCard(card, content_hash(snapshot))


def _plain_values(snapshot: dict) -> list[tuple[str, str]]:
    """A kind without a card: its snapshot's entries as stored, so nothing signed is hidden."""
    return [(key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
            for key, value in snapshot.items() if key != "record"]


def row_figures(requests: list[ApprovalRequest]) -> dict[int, list[Figure]]:
    """{request id: its key figures}, each kind asked once for all its rows (so a page of 50
    costs what a page of 5 does)."""
    by_type: dict[str, list[ApprovalRequest]] = defaultdict(list)
    for request in requests:
        by_type[request.record_type].append(request)
    figures: dict[int, list[Figure]] = {}
    for record_type, group in by_type.items():
        maker = record_kinds.card_maker(record_type)
        if maker is None:
            continue
        for request, found in zip(group, maker.figures([snapshot_of(r) for r in group]),
                                  strict=True):
            figures[request.id] = found
    return figures


def kind_refusal(requests: list[ApprovalRequest]) -> str | None:
    """Why these requests cannot be signed together: one batch signs one kind of item."""
    kinds = {approvals.flow_label(r.flow_kind) for r in requests}
    if len(kinds) > 1:
        return _("批量签字只能选择同一类事项，您选择了：%(kinds)s。请分开签字。",
                 kinds="、".join(sorted(kinds)))
    return None
