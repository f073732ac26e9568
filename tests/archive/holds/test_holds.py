"""Legal holds: by item, by customer, by record kind, with a reason; items at rest become 冻结
and get back the state they had when the last hold covering them is released; an item out on
a paper loan keeps 借出 and becomes 冻结 when it comes back; items filed later for a held
customer or kind start 冻结; placing and releasing are audited."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.models.archive import ArchiveHold, ArchiveItem, ArchiveState
from app.services.archive.holds.guard import is_held
from tests.factories.archive import catalogue_item, filed_customer
from tests.factories.customers import make_customer
from tests.factories.disposals import draft_disposal, expired_item, hold, release
from tests.support import fetch


def _state(app, item) -> ArchiveState:
    return fetch(app, ArchiveItem, item.id).state


def test_holding_an_item_freezes_it_and_release_restores_it(app, team, client):
    """Posted with `item_id` and `reason` (the stable interface) by the archivist: the item is
    冻结; released with a reason, it is 在库 again."""
    item = catalogue_item(app, team.archivist)
    client.login("archivist")
    response = client.post_form("/archive/holds/new",
                                {"item_id": str(item.id), "reason": "审计署专项审计"})
    assert response.status_code == 303
    assert _state(app, item) == ArchiveState.HELD
    with app.app_context():
        placed = db.session.scalar(select(ArchiveHold))
    assert client.post_form(f"/archive/holds/{placed.id}/release",
                            {"release_reason": "审计结束"}).status_code == 303
    assert _state(app, item) == ArchiveState.IN_STORE
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "ArchiveHold").order_by(AuditEvent.id)))
    assert actions == ["archive_hold_placed", "archive_hold_released"]


def test_a_hold_by_customer_covers_the_items_filed_later(app, team):
    """A customer held: their item is 冻结, and a record of theirs filed afterwards (for real)
    starts 冻结; another customer's item is untouched."""
    customer = make_customer(app, team.staff)
    now_filed = catalogue_item(app, team.archivist, customer_id=customer.id)
    other = catalogue_item(app, team.archivist)
    hold(app, team.archivist, customer)
    assert (_state(app, now_filed), _state(app, other)) == (ArchiveState.HELD,
                                                             ArchiveState.IN_STORE)
    later = filed_customer(app, team)
    held_customer_item = catalogue_item(app, team.archivist, customer_id=customer.id)
    assert _state(app, held_customer_item) == ArchiveState.HELD
    assert _state(app, later) == ArchiveState.IN_STORE


def test_a_hold_by_kind_covers_every_item_of_the_kind(app, team):
    """Customer files held: a filed customer file is 冻结 from its filing; contracts are not."""
    hold(app, team.gm, "Customer")
    filed = filed_customer(app, team)
    contract = catalogue_item(app, team.archivist, record_type="Contract")
    assert (_state(app, filed), _state(app, contract)) == (ArchiveState.HELD,
                                                           ArchiveState.IN_STORE)
    with app.app_context():
        assert is_held(db.session.get(ArchiveItem, filed.id))


def test_release_restores_the_state_each_item_had(app, team):
    """An item 待销毁 (on a list) held and released is 待销毁 again; while a second hold still
    covers an item, releasing the first leaves it 冻结."""
    customer = make_customer(app, team.staff)
    listed = expired_item(app, team.archivist, customer_id=customer.id)
    draft_disposal(app, team.archivist, [listed])
    by_item = hold(app, team.archivist, listed)
    by_customer = hold(app, team.gm, customer)
    assert _state(app, listed) == ArchiveState.HELD
    release(app, team.archivist, by_item)
    assert _state(app, listed) == ArchiveState.HELD
    release(app, team.gm, by_customer)
    assert _state(app, listed) == ArchiveState.DUE


def test_a_lent_item_keeps_its_loan_state_and_is_frozen_on_return(app, team):
    """Held while out on a paper loan, the item stays 借出 (the loan's state); back in store it
    is 冻结; released, it is 在库."""
    item = catalogue_item(app, team.archivist, state=ArchiveState.ON_LOAN)
    placed = hold(app, team.archivist, item)
    assert _state(app, item) == ArchiveState.ON_LOAN
    with app.app_context():
        db.session.get(ArchiveItem, item.id).state = ArchiveState.IN_STORE  # as a return does
        db.session.commit()
    assert _state(app, item) == ArchiveState.HELD
    release(app, team.archivist, placed)
    assert _state(app, item) == ArchiveState.IN_STORE


def test_a_hold_needs_a_reason_and_is_not_placed_twice(app, team, client):
    item = catalogue_item(app, team.archivist)
    client.login("archivist")
    blank = client.post_form("/archive/holds/new", {"item_id": str(item.id), "reason": "  "})
    assert blank.status_code == 422
    hold(app, team.gm, item)
    again = client.post_form("/archive/holds/new", {"item_id": str(item.id), "reason": "再次"})
    assert again.status_code == 422
    assert "无需重复冻结" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(ArchiveHold).count() == 1


def test_a_hold_by_archive_number_or_kind_through_the_form(app, team, client):
    """The form holds an item by its 档号 as typed, or a kind chosen from the list; an unknown
    档号 is refused on its field."""
    item = catalogue_item(app, team.archivist)
    client.login("gm")
    assert client.post_form("/archive/holds/new", {
        "scope": "item", "archive_number": item.archive_number,
        "reason": "诉讼"}).status_code == 303
    unknown = client.post_form("/archive/holds/new", {
        "scope": "item", "archive_number": "TZ-XX-00000", "reason": "诉讼"})
    assert unknown.status_code == 422 and "没有找到该档号" in unknown.get_data(as_text=True)
    assert client.post_form("/archive/holds/new", {
        "scope": "kind", "record_type": "Contract", "reason": "专项检查"}).status_code == 303
    with app.app_context():
        scopes = [h.scope.value for h in db.session.scalars(select(ArchiveHold)
                                                            .order_by(ArchiveHold.id))]
    assert scopes == ["item", "kind"]
