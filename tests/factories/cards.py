"""Approval cards: a kind's card built from a snapshot and rendered as the approval page and the
expanded inbox row show it; the card and the key figures of the pages."""

import re

from flask import render_template

from app.services.approvals.cards import ShownCard
from app.services.approvals.signatures import content_hash
from app.services.core import record_kinds


def render_card(app, record_type: str, snapshot: dict, record=None) -> str:
    """The card of `snapshot` as its kind builds it, rendered by approvals/_card.html."""
    with app.test_request_context("/"):
        card = record_kinds.card_maker(record_type).card(snapshot, record)
        return render_template("approvals/_card.html",
                               shown=ShownCard(card, content_hash(snapshot)))


def figures_of(app, record_type: str, snapshots: list[dict]) -> list[list[tuple[str, str]]]:
    """The key figures of each snapshot's inbox row, as (label, value)."""
    with app.test_request_context("/"):
        found = record_kinds.card_maker(record_type).figures(snapshots)
        return [[(f.label, f.value) for f in row] for row in found]


def card_of_page(html: str) -> str:
    """The approval card section of a page."""
    found = re.search(r'<section class="approval-card.*?</section>', html, re.S)
    assert found, "the page shows the signed content as a card"
    return found.group(0)


def field(card: str, label: str) -> str:
    """The value a card shows under `label` (a <dt>/<dd> or a <th>/<td> pair)."""
    found = re.search(rf">{re.escape(label)}</(?:dt|th)>\s*<(?:dd|td)[^>]*>(.*?)</(?:dd|td)>",
                      card, re.S)
    assert found, f"the card shows {label}"
    return found.group(1).strip()


def change(card: str, label: str) -> tuple[str, str]:
    """The (old, new) a card's change table shows for `label`."""
    found = re.search(rf"<td>{re.escape(label)}</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>",
                      card, re.S)
    assert found, f"the card's change table has {label}"
    return found.group(1), found.group(2)
