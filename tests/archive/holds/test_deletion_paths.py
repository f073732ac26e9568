"""A held item survives every path that deletes archive content (Alfresco RM-6941, openregister
#3553: one path that forgets the hold is enough to lose it): disposal execution of a list
approved before the hold, the store's own delete, the orphan sweep, and a new disposal list.
The one check, can_destroy, reads the holds under the item's lock in the deleting transaction,
so a hold committed after the item was loaded still counts. (grep of app/ for unlink, rmtree,
os.remove and deletes of archive rows: store.destroy_copy and store.sweep_orphans are the only
paths that delete a stored copy; no code deletes an ArchiveItem row.)"""

import os
import time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Customer
from app.models.archive import (
    ArchiveItem,
    ArchiveState,
    DisposalEntry,
    DisposalList,
    DisposalStatus,
    EntryOutcome,
)
from app.services.archive import store
from app.services.archive.disposals import execution
from app.services.archive.holds.guard import DestroyRefused, can_destroy, lock_item
from tests.factories.customers import make_customer
from tests.factories.disposals import (
    draft_disposal,
    execute,
    expired_item,
    hold,
    ready_disposal,
    release,
    start_disposal,
)
from tests.support import fetch


def _entry(app, item) -> DisposalEntry:
    with app.app_context():
        entry = db.session.scalar(select(DisposalEntry).where(DisposalEntry.item_id == item.id))
        db.session.expunge(entry)
        return entry


@pytest.mark.parametrize("held_by", ["item", "customer", "kind"])
def test_execution_skips_an_item_held_after_approval(app, team, archive_root, held_by):
    """Approved, waited, countersigned, then held (by item, customer or kind): execution leaves
    the held item and its copy alone, records it 未销毁 with the reason, destroys the other."""
    customer = make_customer(app, team.staff)
    target = expired_item(app, team.archivist, customer_id=customer.id,
                          record_type="Customer")
    other = expired_item(app, team.archivist)
    disposal = ready_disposal(app, team, [target, other])
    start_disposal(app, team.archivist, disposal)
    hold(app, team.gm, {"item": target, "customer": customer, "kind": "Customer"}[held_by])
    with app.app_context():
        execution.run(disposal.id)
    skipped = _entry(app, target)
    assert (skipped.outcome, "冻结" in skipped.outcome_reason) == (EntryOutcome.SKIPPED, True)
    assert fetch(app, ArchiveItem, target.id).state == ArchiveState.HELD
    assert (archive_root / target.storage_path).exists()
    assert not (archive_root / other.storage_path).exists()
    assert fetch(app, DisposalList, disposal.id).status == DisposalStatus.DONE


def test_a_skipped_item_is_back_in_store_when_its_hold_is_released(app, team):
    """After its list has finished, releasing the hold gives the item 在库, not 待销毁."""
    item = expired_item(app, team.archivist)
    disposal = ready_disposal(app, team, [item])
    start_disposal(app, team.archivist, disposal)
    placed = hold(app, team.archivist, item)
    with app.app_context():
        execution.run(disposal.id)
    release(app, team.archivist, placed)
    assert fetch(app, ArchiveItem, item.id).state == ArchiveState.IN_STORE


def test_the_store_refuses_to_delete_a_held_items_copy(app, team, archive_root):
    """store.destroy_copy on a held item, even one an executing list names: refused, the copy
    stays; released, the same call deletes it."""
    item = expired_item(app, team.archivist)
    disposal = ready_disposal(app, team, [item])
    start_disposal(app, team.archivist, disposal)
    placed = hold(app, team.gm, item)
    with app.app_context():
        with pytest.raises(DestroyRefused, match="冻结"):
            store.destroy_copy(db.session.get(ArchiveItem, item.id))
        db.session.rollback()
    assert (archive_root / item.storage_path).exists()
    release(app, team.gm, placed)
    with app.app_context():
        store.destroy_copy(db.session.get(ArchiveItem, item.id))
        db.session.rollback()
    assert not (archive_root / item.storage_path).exists()


def test_the_store_refuses_what_no_approved_list_names(app, team, archive_root):
    """Not held but on no executing list (or its list still waiting): refused all the same."""
    loose = expired_item(app, team.archivist)
    waiting = expired_item(app, team.archivist)
    draft_disposal(app, team.archivist, [waiting])
    with app.app_context():
        for item in (loose, waiting):
            with pytest.raises(DestroyRefused, match="销毁清单"):
                store.destroy_copy(db.session.get(ArchiveItem, item.id))
    assert all((archive_root / i.storage_path).exists() for i in (loose, waiting))


def test_the_orphan_sweep_never_removes_a_filed_items_copy(app, team, archive_root):
    """sweep_orphans with no grace, the held item's copy a day old: only the real orphan goes."""
    item = expired_item(app, team.archivist)
    hold(app, team.archivist, item)
    orphan = archive_root / "HT" / "2026" / "orphan.pdf"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"%PDF-1.7")
    day_ago = time.time() - 86400
    for path in (archive_root / item.storage_path, orphan):
        os.utime(path, (day_ago, day_ago))
    with app.app_context():
        removed = store.sweep_orphans(grace_minutes=0)
    assert removed == ["HT/2026/orphan.pdf"]
    assert (archive_root / item.storage_path).exists()


def test_a_held_item_cannot_go_on_a_new_list(app, team, client):
    item = expired_item(app, team.archivist)
    hold(app, team.archivist, item)
    client.login("archivist")
    response = client.post_form("/archive/disposals/new", {"item_ids": [str(item.id)]})
    assert response.status_code == 422
    assert fetch(app, ArchiveItem, item.id).state == ArchiveState.HELD


def test_can_destroy_reads_a_hold_committed_after_the_item_was_loaded(app, team):
    """The deleting transaction loaded the item before another session held its customer:
    re-read under the lock, the hold counts."""
    customer = make_customer(app, team.staff)
    item = expired_item(app, team.archivist, customer_id=customer.id)
    disposal = ready_disposal(app, team, [item])
    start_disposal(app, team.archivist, disposal)
    with app.app_context():
        loaded = db.session.get(ArchiveItem, item.id)
        assert can_destroy(loaded)
        hold(app, team.gm, fetch(app, Customer, customer.id))  # its own session, committed
        assert lock_item(item.id) is loaded
        verdict = can_destroy(loaded)
        assert not verdict and "冻结" in verdict.reason
        db.session.rollback()


def test_every_hold_released_the_list_destroys_it(app, team, archive_root):
    """The guard blocks only while a hold is active: released before execution, destroyed."""
    item = expired_item(app, team.archivist)
    disposal = ready_disposal(app, team, [item])
    release(app, team.gm, hold(app, team.gm, item))
    execute(app, team.archivist, disposal)
    assert not (archive_root / item.storage_path).exists()
