"""The recompute job and what triggers it: calendar edits, policy edits, on-site profiles; it
is idempotent and resumable, and leaves completed records alone."""

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User
from app.models.service.records import Priority, ServiceRecord
from app.models.service.sla import (
    ContractSlaProfile,
    RecomputeStatus,
    SlaKind,
    SlaPolicy,
    SlaRecomputeRun,
)
from app.services.core import worktime_settings
from app.services.service.sla import deadlines, recompute
from tests.factories.sales import make_contract
from tests.service.sla.conftest import S, stored, with_history

pytestmark = pytest.mark.usefixtures("immediate_jobs")
NOW = datetime(2026, 3, 1)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    """The job's `now` is fixed, so breach flags do not move with the clock."""
    monkeypatch.setattr(deadlines, "local_wall_clock", lambda: NOW)


def test_a_calendar_edit_recomputes_open_records(app, team, customer):
    """Rule: when an administrator makes Tuesday 2026-03-03 a day off, the job moves the
    stored due of every open record across it (high: 3/3 09:00 → 3/4 09:00); a completed
    record keeps its stored deadlines."""
    start = datetime(2026, 3, 2, 9, 0)
    open_ = with_history(app, team, customer, service_at=start, priority=Priority.HIGH)
    done = with_history(app, team, customer, service_at=start, priority=Priority.HIGH,
                        moves=[(datetime(2026, 3, 2, 9, 5), S.PROCESSING),
                               (datetime(2026, 3, 2, 10, 0), S.DONE)])
    assert open_.resolution_due == done.resolution_due == datetime(2026, 3, 3, 9, 0)
    with app.app_context():
        worktime_settings.add_exception(date(2026, 3, 3), False, "停电检修",
                                        db.session.get(User, team.manager.id))
        db.session.commit()
    assert stored(app, open_.id).resolution_due == datetime(2026, 3, 4, 9, 0)
    assert stored(app, done.id).resolution_due == datetime(2026, 3, 3, 9, 0)
    with app.app_context():
        run = db.session.scalars(select(SlaRecomputeRun)).one()
        assert (run.status, run.total, run.processed) == (RecomputeStatus.DONE, 1, 1)


def test_on_site_profile_runs_on_the_full_calendar_over_a_holiday(app, team, customer):
    """Rule: a record under a contract linked to the on-site profile has 30 min to respond and
    4 h to be repaired, holidays included: registered on 国庆 2026-10-01 22:00, due 22:30 and
    10-02 02:00; linking the contract recomputes records registered before."""
    contract = make_contract(app, customer, by=team.seller)
    record = with_history(app, team, customer, service_at=datetime(2026, 10, 1, 22, 0),
                          contract_id=contract.id)
    assert record.response_due == datetime(2026, 10, 8, 10, 30)  # standard: after the holiday
    with app.app_context():
        profile = db.session.scalar(select(SlaPolicy.id).where(SlaPolicy.kind == SlaKind.ON_SITE))
        run = recompute.request("test")
        db.session.add(ContractSlaProfile(contract_id=contract.id, policy_id=profile,
                                          attached_by_id=team.manager.id))
        db.session.commit()
        recompute.run(run.id)
    record = stored(app, record.id)
    assert (record.response_due, record.resolution_due) == (
        datetime(2026, 10, 1, 22, 30), datetime(2026, 10, 2, 2, 0))
    assert record.sla_policy_id == profile


def test_a_policy_edit_on_the_page_recomputes_open_records(client, app, team, customer):
    """Rule: the 客服 manager shortens the response of 售后维护 · 中 to 1 hour; the saved change
    is audited and the open records' stored response due follows (11:00 → 10:00)."""
    record = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, 0))
    assert record.response_due == datetime(2026, 3, 2, 11, 0)
    with app.app_context():
        policy = db.session.get(SlaPolicy, record.sla_policy_id)
        form = {"name": policy.name, "calendar": "work", "response_hours": "1",
                "resolution_hours": "22.5", "version": str(policy.version)}
    client.login("cs_mgr")
    response = client.post_form(f"/service/sla/{record.sla_policy_id}/edit", form)
    assert response.status_code == 303
    assert stored(app, record.id).response_due == datetime(2026, 3, 2, 10, 0)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "sla_policy_updated")).one()
        assert json.loads(event.changes) == {"response_minutes": [120, 60]}


def test_the_job_is_resumable_and_idempotent(app, team, customer):
    """Rule: a run interrupted after a batch continues after its last record; running it again
    changes nothing (no row written twice, same values)."""
    records = [with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, i))
               for i in range(5)]
    with app.app_context():
        db.session.execute(db.update(ServiceRecord).values(response_due=None))
        run = recompute.request("test")
        db.session.commit()
        table = recompute.PolicyTable.load()
        assert recompute.step(run, table, 2)  # the first batch, then the "crash"
        run.status = RecomputeStatus.FAILED
        db.session.commit()
        assert stored(app, records[2].id).response_due is None
        recompute.run(run.id, batch=2)
        run = db.session.get(SlaRecomputeRun, run.id)
        assert (run.status, run.processed, run.total) == (RecomputeStatus.DONE, 5, 5)
        stamps = {r.id: stored(app, r.id).sla_computed_at for r in records}
        again = recompute.request("again")
        db.session.commit()
        recompute.run(again.id)
    assert all(stored(app, r.id).response_due == datetime(2026, 3, 2, 11, i)
               for i, r in enumerate(records))
    assert {r.id: stored(app, r.id).sla_computed_at for r in records} == stamps
