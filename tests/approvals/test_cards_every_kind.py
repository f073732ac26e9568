"""Sign what you see, for every kind: each record kind the approval engine can sign brings its
card (record_kinds.register_card), so no approver is ever shown the plain listing of a
snapshot's keys and values; a kind added without one fails here."""

from app.services.core import record_kinds

# The kinds registered when this test was written: the walk below must at least see them.
KNOWN = {"Customer", "ChangeRequest", "PhoneExport", "Contract", "ContractChange",
         "OwnershipRequest", "CustomerHandover", "ReversalRequest", "AccountGrant"}


def _without_card() -> list[str]:
    return [t for t in record_kinds.record_types() if record_kinds.card_maker(t) is None]


def test_every_registered_record_kind_has_a_card(app):
    """Rule: walking every registered record kind finds none without a card maker."""
    assert set(record_kinds.record_types()) >= KNOWN
    assert _without_card() == [], "a record kind must register its card (register_card)"


def test_a_kind_without_a_card_is_caught(app, monkeypatch):
    """Rule: the walk fails for a kind that plugs in without a card (this check can fail)."""

    class Unshown:
        record_type = "Unshown"

    # Set, and undone after the test, in the registry itself: register() has no undo.
    monkeypatch.setitem(record_kinds._KINDS, Unshown.record_type, Unshown())
    assert _without_card() == ["Unshown"]
