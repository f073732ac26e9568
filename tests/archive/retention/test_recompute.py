"""The recompute runs: a change recomputes only its kind's items, never a destroyed one; a run
that fails resumes where it stopped; the nightly refresh catches trigger events that happened
or moved since filing; every changed expiry is audited by level; the page shows the run."""

import json
from datetime import date

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import AuditEvent, Contract, Customer, CustomerType, Level
from app.models.archive import (
    ArchiveItem,
    ArchiveState,
    RetentionRule,
    RetentionRun,
    RetentionRunStatus,
)
from app.models.base import utcnow
from app.services.archive import retention, schedule_runs
from app.timeutil import to_local
from tests.archive.retention.conftest import edit_form, rule_of
from tests.factories.archive import catalogue_item, filed_contract, filed_customer
from tests.factories.people import make_people

CONTRACT_ITEM = {"trigger_date": date(2027, 2, 28), "expiry_date": date(2037, 2, 28)}


def _expiry(app, item) -> date | None:
    with app.app_context():
        return db.session.get(ArchiveItem, item.id).expiry_date


def _set_years(app, record_type: str, years: int) -> None:
    with app.app_context():
        db.session.execute(update(RetentionRule).where(RetentionRule.record_type == record_type)
                           .values(years=years, code=f"D{years}"))
        db.session.commit()


def test_a_change_recomputes_its_kind_only_and_never_a_destroyed_item(app, client):
    """Contracts at 20 years: the filed contract's expiry moves, a destroyed contract keeps
    what its destruction left, and an item of another kind is not touched."""
    people = make_people(app, "admin", "archivist")
    kept = catalogue_item(app, people["archivist"], **CONTRACT_ITEM)
    destroyed = catalogue_item(app, people["archivist"], state=ArchiveState.DESTROYED,
                               **CONTRACT_ITEM)
    other = catalogue_item(app, people["archivist"], record_type="ServiceRecord",
                           retention_years=4, trigger_date=date(2027, 2, 28),
                           expiry_date=date(2027, 2, 28))  # wrong on purpose: left alone
    client.login("admin")
    assert edit_form(client, rule_of(app, "Contract").id, years="20").status_code == 303
    assert _expiry(app, kept) == date(2047, 2, 28)
    assert _expiry(app, destroyed) == date(2037, 2, 28)
    assert _expiry(app, other) == date(2027, 2, 28)
    with app.app_context():
        run = db.session.scalar(select(RetentionRun))
        assert (run.total, run.processed, run.changed) == (1, 1, 1)


def test_a_failed_run_resumes_after_its_last_item(app, monkeypatch):
    """A run that fails in its second batch keeps the first batch's work and its cursor; run
    again, it goes on from there and finishes with every item counted once."""
    archivist = make_people(app, "archivist")["archivist"]
    items = [catalogue_item(app, archivist, **CONTRACT_ITEM) for _ in range(3)]
    _set_years(app, "Contract", 12)
    calls, real = [], retention.refresh_batch

    def fail_second(batch):
        calls.append(len(batch))
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(batch)

    with app.app_context():
        run_id = schedule_runs.request("Contract", "测试").id
        db.session.commit()
        monkeypatch.setattr(retention, "refresh_batch", fail_second)
        with pytest.raises(RuntimeError):
            schedule_runs.run(run_id, batch=2)
        failed = db.session.get(RetentionRun, run_id)
        assert (failed.status, failed.processed, failed.last_item_id) == (
            RetentionRunStatus.FAILED, 2, items[1].id)
        assert "database went away" in failed.error
        schedule_runs.run(run_id, batch=2)
        done = db.session.get(RetentionRun, run_id)
        assert (done.status, done.total, done.processed, done.changed) == (
            RetentionRunStatus.DONE, 3, 3, 3)
    assert [_expiry(app, item) for item in items] == [date(2039, 2, 28)] * 3


def test_the_nightly_refresh_follows_trigger_events_since_filing(app, team):
    """After filing, a contract's end date moves and a customer is marked 流失: the nightly run
    moves the contract's expiry and gives the customer's file its first one; a second night
    changes nothing."""
    contract = filed_contract(app, team, end_date=date(2027, 2, 28))
    customer = filed_customer(app, team)
    assert (_expiry(app, contract), _expiry(app, customer)) == (date(2037, 2, 28), None)
    with app.app_context():
        db.session.execute(update(Contract).where(Contract.id == contract.record_id)
                           .values(end_date=date(2028, 6, 30)))
        db.session.execute(update(Customer).where(Customer.id == customer.record_id)
                           .values(type=CustomerType.LOST, updated_at=utcnow()))
        db.session.commit()
        first = db.session.get(RetentionRun, schedule_runs.nightly())
        ended = to_local(db.session.get(Customer, customer.record_id).updated_at).date()
        second = db.session.get(RetentionRun, schedule_runs.nightly())
        assert (first.reason, first.record_type, first.changed) == ("每日刷新", None, 2)
        assert (second.processed, second.changed) == (2, 0)
    assert _expiry(app, contract) == date(2038, 6, 30)
    assert _expiry(app, customer) == ended.replace(year=ended.year + 3)


def test_changed_expiries_are_audited_by_level(app, client):
    """Each batch's changes are audited once per confidentiality level, naming each item's
    档号 with its old and new expiry (a reader below a level sees that event only as such)."""
    people = make_people(app, "admin", "archivist")
    internal = catalogue_item(app, people["archivist"], **CONTRACT_ITEM)
    secret = catalogue_item(app, people["archivist"], level=Level.SECRET, **CONTRACT_ITEM)
    client.login("admin")
    edit_form(client, rule_of(app, "Contract").id, years="11")
    with app.app_context():
        events = {event.object_level: event.changes for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention_recomputed"))}
    assert set(events) == {Level.INTERNAL, Level.SECRET}
    assert internal.archive_number in events[Level.INTERNAL]
    assert secret.archive_number not in events[Level.INTERNAL]
    assert json.loads(events[Level.SECRET])["expiry_date"] == {
        secret.archive_number: ["2037-02-28", "2038-02-28"]}


def test_the_page_shows_the_run_and_its_fragment_polls_while_it_runs(app, client):
    """The schedule page shows the last run with the shared progress widget; a queued run's
    fragment polls itself, a finished one stops."""
    make_people(app, "archivist")
    with app.app_context():
        run_id = schedule_runs.request("Contract", "保管期限变更：销售合同").id
        db.session.commit()
    client.login("archivist")
    page = client.get("/archive/retention/").get_data(as_text=True)
    assert 'id="retention-run-status"' in page and 'data-status="queued"' in page
    assert f"/archive/retention/runs/{run_id}" in page
    with app.app_context():
        schedule_runs.run(run_id)
    fragment = client.htmx("GET", f"/archive/retention/runs/{run_id}").get_data(as_text=True)
    assert 'data-status="done"' in fragment and "hx-get" not in fragment
