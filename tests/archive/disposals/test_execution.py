"""Executing a disposal list: each item in its own transaction, resumable where it stopped,
nothing done twice; destroying deletes the stored copy and keeps the item's metadata and hashes
as the 销毁清册; personal data of an individual customer's items is erased from the archive's
metadata (PIPL §47), never from the customer master."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Customer, CustomerKind
from app.models.archive import (
    ArchiveItem,
    ArchiveItemSearch,
    ArchiveState,
    DisposalEntry,
    DisposalList,
    DisposalStatus,
    EntryOutcome,
)
from app.services.archive import store
from app.services.archive.disposals import execution
from app.services.archive.disposals.due import due_condition
from tests.factories.archive import approve_loan, request_loan
from tests.factories.customers import make_customer
from tests.factories.disposals import execute, expired_item, ready_disposal, start_disposal
from tests.support import fetch


def _outcomes(app, disposal) -> dict[int, EntryOutcome]:
    with app.app_context():
        return dict(db.session.execute(select(DisposalEntry.item_id, DisposalEntry.outcome)
                                       .where(DisposalEntry.disposal_id == disposal.id)).all())


def _destroyed_events(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.object_id).where(
            AuditEvent.action == "archive_item_destroyed").order_by(AuditEvent.id)))


def test_destroying_deletes_the_copy_and_keeps_metadata_and_hashes(app, team, archive_root):
    """A destroyed item is 已销毁 with its 档号, title, hashes and size as they were; its stored
    copy is gone; the list is done with its progress complete."""
    item = expired_item(app, team.archivist)
    done = execute(app, team.archivist, ready_disposal(app, team, [item]))
    after = fetch(app, ArchiveItem, item.id)
    assert (done.status, done.processed, done.total) == (DisposalStatus.DONE, 1, 1)
    assert after.state == ArchiveState.DESTROYED
    assert (after.archive_number, after.title, after.sha256, after.sm3, after.size) == (
        item.archive_number, item.title, item.sha256, item.sm3, item.size)
    assert not (archive_root / item.storage_path).exists()
    assert _destroyed_events(app) == [item.id]


def test_an_interrupted_run_resumes_where_it_stopped_and_does_nothing_twice(
        app, team, archive_root, monkeypatch):
    """The run fails on the third item: two are destroyed (committed), the list is 已中断;
    running it again destroys the other three, each once."""
    items = [expired_item(app, team.archivist) for _ in range(5)]
    disposal = ready_disposal(app, team, items)
    start_disposal(app, team.archivist, disposal)
    real, calls = store.destroy_copy, []

    def crash_on_third(item):
        calls.append(item.id)
        if len(calls) == 3:
            raise OSError("存储卷断开")
        real(item)

    monkeypatch.setattr(store, "destroy_copy", crash_on_third)
    with app.app_context(), pytest.raises(OSError):
        execution.run(disposal.id)
    stopped = fetch(app, DisposalList, disposal.id)
    assert (stopped.status, stopped.processed) == (DisposalStatus.FAILED, 2)
    assert "存储卷断开" in stopped.error
    assert [i.id for i in items if not (archive_root / i.storage_path).exists()] == \
        [i.id for i in items[:2]]
    monkeypatch.setattr(store, "destroy_copy", real)
    with app.app_context():
        execution.run(disposal.id)
    finished = fetch(app, DisposalList, disposal.id)
    assert (finished.status, finished.processed) == (DisposalStatus.DONE, 5)
    assert set(_outcomes(app, disposal).values()) == {EntryOutcome.DESTROYED}
    assert _destroyed_events(app) == [i.id for i in items]


def test_a_second_run_of_a_finished_list_does_nothing(app, team):
    """Running a finished list again (a job delivered twice) changes nothing."""
    item = expired_item(app, team.archivist)
    disposal = execute(app, team.archivist, ready_disposal(app, team, [item]))
    with app.app_context():
        execution.run(disposal.id)
    assert _destroyed_events(app) == [item.id]
    assert fetch(app, DisposalList, disposal.id).processed == 1


def test_an_item_someone_is_reading_is_not_destroyed(app, team, archive_root):
    """Lent for online reading after the list was approved: execution leaves it, 未销毁 with
    the reason, and it is no longer due while the loan runs."""
    item = expired_item(app, team.archivist)
    disposal = ready_disposal(app, team, [item])
    approve_loan(app, request_loan(app, team.staff, [item]), team.manager)
    execute(app, team.archivist, disposal)
    assert list(_outcomes(app, disposal).values()) == [EntryOutcome.SKIPPED]
    assert (archive_root / item.storage_path).exists()
    assert fetch(app, ArchiveItem, item.id).state == ArchiveState.IN_STORE
    with app.app_context():
        assert db.session.scalar(select(ArchiveItem.id).where(due_condition())) is None


def _customer(app, team, kind: CustomerKind, name: str) -> Customer:
    return make_customer(app, team.staff, kind=kind, name=name)


def test_an_individual_customers_destroyed_item_keeps_no_personal_data(app, team):
    """PIPL §47: destroyed, an individual's item loses the title naming them and its link to
    them (the search index too); a company's keeps both; the customer master is untouched."""
    person = _customer(app, team, CustomerKind.PERSON, "张三丰")
    company = _customer(app, team, CustomerKind.UNIT, "华信科技有限公司")
    personal = expired_item(app, team.archivist, customer_id=person.id,
                            title=f"{person.number} 张三丰", business_number=person.number)
    corporate = expired_item(app, team.archivist, customer_id=company.id,
                             title=f"{company.number} 华信科技有限公司")
    execute(app, team.archivist, ready_disposal(app, team, [personal, corporate]))
    erased, kept = fetch(app, ArchiveItem, personal.id), fetch(app, ArchiveItem, corporate.id)
    assert "张三丰" not in erased.title and person.number in erased.title
    assert erased.customer_id is None
    assert (kept.title, kept.customer_id) == (corporate.title, company.id)
    with app.app_context():
        indexed = db.session.get(ArchiveItemSearch, personal.id).title
        assert "张三丰" not in indexed
        assert db.session.get(Customer, person.id).name == "张三丰"
        flags = dict(db.session.execute(select(DisposalEntry.item_id,
                                               DisposalEntry.personal_data_removed)).all())
    assert flags == {personal.id: True, corporate.id: False}


def test_destruction_is_audited_without_the_title(app, team):
    """The audit event of a destroyed item names its 档号 and hashes, not its title."""
    item = expired_item(app, team.archivist, title="HT-1 张三丰购房合同")
    execute(app, team.archivist, ready_disposal(app, team, [item]))
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "archive_item_destroyed"))
        assert event.object_label == item.archive_number
        assert item.sha256 in event.changes and "张三丰" not in event.changes
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "archive_disposal_completed")) == 1
