"""The on-site commitment's second target (30 min / 2 h / 4 h on the 7×24 calendar, 001
L325–334): repairs under a contract linked to the profile get a stored on-site due, the
handler records the arrival (到达现场), a late arrival is a breach the lists count as 已超时,
and the due follows pauses, profile edits and record edits like the other deadlines."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.models.service.records import (
    AfterSalesKind,
    ServiceEvent,
    ServiceEventKind,
    ServiceRecord,
)
from app.models.service.sla import ContractSlaProfile, SlaKind, SlaPolicy
from app.services.service.sla import deadlines, recompute, state
from app.timeutil import local_wall_clock
from tests.factories.sales import make_contract
from tests.service.sla.conftest import S, stored, with_history
from tests.support import pdf_text

NIGHT = datetime(2026, 10, 1, 22, 0)  # 国庆 National Day, a statutory holiday
JUST_AFTER = datetime(2026, 10, 1, 22, 5)


@pytest.fixture
def profile_id(app):
    with app.app_context():
        return db.session.scalar(select(SlaPolicy.id).where(SlaPolicy.kind == SlaKind.ON_SITE))


@pytest.fixture
def contract(app, team, customer, profile_id):
    """A contract of the customer that promises on-site service (linked to the profile)."""
    contract = make_contract(app, customer, by=team.seller)
    with app.app_context():
        db.session.add(ContractSlaProfile(contract_id=contract.id, policy_id=profile_id,
                                          attached_by_id=team.manager.id))
        db.session.commit()
    return contract


def repair(app, team, customer, contract, moves=(), now=JUST_AFTER, **fields) -> ServiceRecord:
    """A 售后维护 · 维修 record under `contract` (None: no contract), registered at NIGHT and
    handled by the 客服 staff member."""
    values = dict(service_at=NIGHT, after_sales_kind=AfterSalesKind.REPAIR,
                  handler_id=team.staff.id, contract_id=contract.id if contract else None)
    return with_history(app, team, customer, moves, now, **{**values, **fields})


def _arrive(client, record, at: str):
    response = client.post_form(f"/service/records/{record.id}/arrival", {"arrived_at": at})
    assert response.status_code == 303
    return client.get(f"/service/records/{record.id}").get_data(as_text=True)


def test_on_site_due_is_two_hours_on_the_full_calendar_over_a_holiday_night(
        app, team, customer, contract, profile_id):
    """Rule: a repair registered on 国庆 at 22:00 under the on-site contract must see someone
    on site by 00:00 (7×24: the holiday and the night count), beside its 22:30 response and
    02:00 repair targets; planned maintenance under the same contract and a repair without
    the contract get no on-site due."""
    record = repair(app, team, customer, contract)
    assert (record.response_due, record.onsite_due, record.resolution_due) == (
        datetime(2026, 10, 1, 22, 30), datetime(2026, 10, 2, 0, 0), datetime(2026, 10, 2, 2, 0))
    assert record.sla_policy_id == profile_id and not record.onsite_breached
    upkeep = repair(app, team, customer, contract, after_sales_kind=AfterSalesKind.MAINTENANCE)
    plain = repair(app, team, customer, None)
    assert (upkeep.onsite_due, plain.onsite_due) == (None, None)
    assert upkeep.resolution_due == datetime(2026, 10, 2, 2, 0)  # still the profile's


def test_a_pause_stops_the_on_site_clock(app, team, customer, contract):
    """Rule: 等待客户 from 22:30 to 23:15 (the customer could not receive the engineer) moves
    the on-site due by 45 min to 00:45; a pause still going on stops the clock at its start,
    so at 01:00 a record paused since 23:00 is not late, and its due is not extended."""
    moved = repair(app, team, customer, contract, now=datetime(2026, 10, 2, 0, 30), moves=[
        (datetime(2026, 10, 1, 22, 10), S.PROCESSING),
        (datetime(2026, 10, 1, 22, 30), S.WAITING_CUSTOMER),
        (datetime(2026, 10, 1, 23, 15), S.PROCESSING)])
    assert (moved.onsite_due, moved.onsite_breached) == (datetime(2026, 10, 2, 0, 45), False)
    waiting = repair(app, team, customer, contract, now=datetime(2026, 10, 2, 1, 0), moves=[
        (datetime(2026, 10, 1, 22, 10), S.PROCESSING),
        (datetime(2026, 10, 1, 23, 0), S.WAITING_PARTS)])
    assert (waiting.onsite_due, waiting.onsite_breached) == (datetime(2026, 10, 2, 0, 0), False)
    running = repair(app, team, customer, contract, now=datetime(2026, 10, 2, 0, 1),
                     moves=[(datetime(2026, 10, 1, 22, 10), S.PROCESSING)])
    assert running.onsite_breached  # nobody there at 00:01, the clock ran


def test_arrival_in_time_or_late(app, client, team, customer, contract):
    """Rule: the handler's 到达现场 at 23:50 keeps the promise, at 00:30 breaks it; the
    arrival is stored, a history event and an audit event, and ends the on-site clock."""
    in_time = repair(app, team, customer, contract)
    late = repair(app, team, customer, contract)
    client.login("cs1")
    page = _arrive(client, in_time, "2026-10-01T23:50")
    assert "已登记到达现场" in page
    _arrive(client, late, "2026-10-02T00:30")
    kept, broken = stored(app, in_time.id), stored(app, late.id)
    assert (kept.arrived_at, kept.onsite_breached) == (datetime(2026, 10, 1, 23, 50), False)
    assert (broken.arrived_at, broken.onsite_breached) == (datetime(2026, 10, 2, 0, 30), True)
    with app.app_context():
        event = db.session.scalars(select(ServiceEvent).where(
            ServiceEvent.record_id == in_time.id,
            ServiceEvent.kind == ServiceEventKind.ARRIVED)).one()
        assert (event.user_id, event.reason, event.to_status) == (
            team.staff.id, "2026-10-01 23:50", None)
        audit = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "service_record_arrived",
            AuditEvent.object_id == late.id)).one()
        assert "2026-10-02" in audit.changes


def test_arrival_refused_in_the_future_before_the_service_time_or_twice(
        app, client, team, customer, contract):
    """Rule: an arrival later than now, one before the record's 服务时间, a second one, and one
    on a record without an on-site due are refused with a clear message; nothing is stored."""
    record = repair(app, team, customer, contract)
    plain = repair(app, team, customer, None)
    client.login("cs1")
    with app.app_context():
        tomorrow = f"{local_wall_clock() + timedelta(days=1):%Y-%m-%dT%H:%M}"
    assert "到达时间不能晚于现在" in _arrive(client, record, tomorrow)
    assert "到达时间不能早于服务时间（2026-10-01 22:00）" in _arrive(client, record,
                                                                "2026-10-01T21:59")
    assert stored(app, record.id).arrived_at is None
    assert "无需登记到达现场" in _arrive(client, plain, "2026-10-01T23:00")
    _arrive(client, record, "2026-10-01T23:00")
    again = _arrive(client, record, "2026-10-01T23:30")
    assert "已登记到达现场（2026-10-01 23:00），不能重复登记" in again
    assert stored(app, record.id).arrived_at == datetime(2026, 10, 1, 23, 0)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ServiceEvent).where(
            ServiceEvent.kind == ServiceEventKind.ARRIVED)) == 1


def test_the_open_list_state_counts_an_on_site_breach_as_overdue(app, team, customer, contract):
    """Rule (SQL over stored columns): at 00:10, a repair in progress with nobody on site is
    已超时 (its on-site due passed, its repair due 02:00 not yet); one whose engineer arrived
    at 23:50 is only 即将超时; one that arrived late at 00:05 is 已超时 by its stored flag."""
    at = datetime(2026, 10, 2, 0, 10)
    moves = [(datetime(2026, 10, 1, 22, 10), S.PROCESSING)]
    waiting = repair(app, team, customer, contract, moves)
    arrived = repair(app, team, customer, contract, moves,
                     arrived_at=datetime(2026, 10, 1, 23, 50))
    late = repair(app, team, customer, contract, moves, now=at,
                  arrived_at=datetime(2026, 10, 2, 0, 5))
    assert (waiting.onsite_breached, late.onsite_breached) == (False, True)
    with app.app_context():
        rows = dict(db.session.execute(select(ServiceRecord.id, state.expression(at))).all())
        assert rows == {waiting.id: "overdue", arrived.id: "due_soon", late.id: "overdue"}
        assert set(db.session.scalars(select(ServiceRecord.id).where(state.overdue(at)))) == {
            waiting.id, late.id}


def test_a_profile_edit_recomputes_the_on_site_due(app, client, team, customer, contract,
                                                   profile_id, immediate_jobs, monkeypatch):
    """Rule: the 客服 manager lengthens the profile's on-site target to 3 h; the recompute job
    moves the open repair's stored on-site due from 00:00 to 01:00."""
    monkeypatch.setattr(deadlines, "local_wall_clock", lambda: JUST_AFTER)
    record = repair(app, team, customer, contract)
    with app.app_context():
        policy = db.session.get(SlaPolicy, profile_id)
        form = {"name": policy.name, "calendar": "24x7", "response_hours": "0.5",
                "on_site_hours": "3", "resolution_hours": "4", "version": str(policy.version)}
    client.login("cs_mgr")
    assert client.post_form(f"/service/sla/{profile_id}/edit", form).status_code == 303
    assert stored(app, record.id).onsite_due == datetime(2026, 10, 2, 1, 0)


def test_the_page_shows_the_on_site_due_only_under_a_commitment(app, client, team, customer,
                                                                contract):
    """Rule: the record page carries the on-site due as an ISO attribute, says nobody has
    arrived yet and offers 到达现场; a record without the commitment shows none of it."""
    record = repair(app, team, customer, contract)
    plain = repair(app, team, customer, None)
    client.login("cs1")
    page = client.get(f"/service/records/{record.id}").get_data(as_text=True)
    assert 'data-sla-onsite="2026-10-02T00:00:00"' in page
    assert "尚未到达" in page and 'id="arrival-form"' in page
    other = client.get(f"/service/records/{plain.id}").get_data(as_text=True)
    assert "data-sla-onsite" not in other and "到场时限" not in other
    assert 'id="arrival-form"' not in other


def test_an_edit_into_a_repair_gets_its_on_site_due_at_once(app, client, team, customer,
                                                            contract):
    """Rule: the record's history includes its edits: maintenance under the on-site contract
    edited into a repair has its on-site due stored by the edit itself, no job needed."""
    record = repair(app, team, customer, contract, after_sales_kind=AfterSalesKind.MAINTENANCE)
    assert record.onsite_due is None
    client.login("cs1")
    form = {"service_type": "aftersales", "after_sales_kind": "repair", "priority": "medium",
            "content": "现场更换电源", "service_at": "2026-10-01T22:00",
            "contract_number": contract.number, "version": "1"}
    response = client.post_form(f"/service/records/{record.id}/edit", form)
    assert response.status_code == 303
    assert stored(app, record.id).onsite_due == datetime(2026, 10, 2, 0, 0)


def test_an_on_site_flag_alone_marks_no_statistics_day(app, team, customer, contract):
    """Rule (the recompute's write contract): the statistics count the response and resolution
    flags only, so a row whose on-site flag alone flips marks no day; a counted flip does."""
    record = repair(app, team, customer, contract)
    with app.app_context():
        row = db.session.get(ServiceRecord, record.id)
        new = deadlines.values(deadlines.compute(row, [], deadlines.targets_for(row),
                                                 JUST_AFTER, {}))
        on_site_only = (*{**new, "onsite_breached": True}.values(), JUST_AFTER, row.id)
        counted = (*{**new, "resolution_breached": True}.values(), JUST_AFTER, row.id)
        assert recompute.breach_flip_days([row], [on_site_only]) == set()
        assert recompute.breach_flip_days([row], [counted]) == {NIGHT}


def test_the_printed_record_carries_the_on_site_due_and_arrival(app, client, team, customer,
                                                               contract):
    """Rule: the 客户服务记录表 PDF prints the on-site due and the arrival beside the response
    and resolution deadlines, for a record under the commitment only."""
    record = repair(app, team, customer, contract)
    plain = repair(app, team, customer, None)
    client.login("cs1")
    text = pdf_text(client.get(f"/service/records/{record.id}/print.pdf").data)
    assert "到场时限" in text and "2026-10-02 00:00" in text and "尚未到达" in text
    assert "到场时限" not in pdf_text(client.get(f"/service/records/{plain.id}/print.pdf").data)
