"""The cadence table (editable by the 客服 manager, audited, Chinese validation; an edit
recomputes the open records' next due dates) and the overdue list, its export and count."""

import io
import json
from datetime import datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User
from app.models.customers import Grade
from app.models.service.records import ServiceRecord, ServiceStatus, service_collaborators
from app.services.service.follow_ups import lists, schedule
from tests.service.follow_ups.conftest import add, minutes_ago
from tests.support import in_app, today

CADENCE = "/service/follow-ups/cadence"
DEFAULTS = {"A": "7", "B": "14", "C": "30", "high": "7"}


def _due(app, record_id: int) -> datetime | None:
    with in_app(app):
        return db.session.get(ServiceRecord, record_id).next_follow_up_due


def test_a_cadence_edit_recomputes_open_records(app, client, team, record_of):
    """B 14 → 10 days: the open B record's next due date moves, the A record's and a closed
    B record's do not; the change is audited with old and new values."""
    b_record, a_record = record_of(Grade.B), record_of(Grade.A)
    closed = record_of(Grade.B, status=ServiceStatus.CLOSED)
    with in_app(app):
        said = minutes_ago(30)
        add(b_record.id, team.cs1, said)
        add(a_record.id, team.cs1, said)
    a_before = _due(app, a_record.id)
    client.login("cs_mgr")
    response = client.post_form(CADENCE, {**DEFAULTS, "B": "10"}, token_from=CADENCE)
    assert response.status_code == 303
    assert _due(app, b_record.id) == said + timedelta(days=10)
    assert _due(app, a_record.id) == a_before and _due(app, closed.id) is None
    with in_app(app):
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "service_follow_up_cadence_updated")).one()
        assert json.loads(event.changes) == {"B": [14, 10]}


def test_recompute_walks_every_batch(app_ctx, team, record_of):
    """A recompute in rounds of 2 reaches all 5 records of the grade."""
    ids = [record_of(Grade.C).id for _ in range(5)]
    assert schedule.recompute({schedule.CadenceBasis.GRADE_C}, batch=2) == 5
    assert all(db.session.get(ServiceRecord, i).next_follow_up_due for i in ids)


def test_the_cadence_form_speaks_chinese(app, client, team):
    """0, 366, words and a blank are refused on their fields in Chinese (422), nothing saved."""
    client.login("cs_mgr")
    response = client.post_form(CADENCE, {"A": "0", "B": "三十", "C": "366", "high": ""},
                                token_from=CADENCE)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count("请填写 1–365 之间的整数天数。") == 3 and "请填写跟进间隔天数。" in page
    with in_app(app):
        assert schedule.intervals()[schedule.CadenceBasis.GRADE_A] == 7


def test_only_the_cs_manager_changes_the_cadence(app, client, team):
    """客服 staff and the GM read the table but may not save it (403); nothing changes."""
    for persona in ("cs1", "gm"):
        client.login(persona)
        assert client.get(CADENCE).status_code == 200
        response = client.post_form(CADENCE, {**DEFAULTS, "A": "3"}, token_from=CADENCE)
        assert response.status_code == 403
    with in_app(app):
        assert schedule.intervals()[schedule.CadenceBasis.GRADE_A] == 7


def _overdue_record(app, team, record_of, closed: bool = False) -> ServiceRecord:
    """A B record whose last follow-up was 20 days ago: due 6 days ago (or closed since)."""
    record = record_of(Grade.B)
    with in_app(app):
        add(record.id, team.cs1, minutes_ago(20 * 24 * 60))
        if closed:
            row = db.session.get(ServiceRecord, record.id)
            row.status = ServiceStatus.CLOSED
            schedule.refresh_next_due(row)
            db.session.commit()
    return record


def test_overdue_list_is_scoped(app, client, team, record_of):
    """The handler and the 客服 manager see the overdue record; another 客服 colleague does
    not until made a collaborator; a record not yet due is not listed."""
    late = _overdue_record(app, team, record_of)
    fresh = record_of(Grade.A)
    with in_app(app):
        add(fresh.id, team.cs1)
    seen = {}
    for persona in ("cs1", "cs_mgr", "cs2"):
        client.login(persona)
        page = client.get("/service/follow-ups/").get_data(as_text=True)
        seen[persona] = (late.number in page, fresh.number in page)
    assert seen == {"cs1": (True, False), "cs_mgr": (True, False), "cs2": (False, False)}
    with in_app(app):
        db.session.execute(service_collaborators.insert().values(record_id=late.id,
                                                                 user_id=team.cs2.id))
        db.session.commit()
        assert lists.overdue_count(db.session.get(User, team.cs2.id), today(app)) == 1


def test_overdue_count_and_export(app, client, team, record_of):
    """The home page's count is the user's overdue follow-ups (0 for sales); the export holds
    the list's rows with the days overdue."""
    record = _overdue_record(app, team, record_of)
    _overdue_record(app, team, record_of, closed=True)
    with in_app(app):
        counts = {name: lists.overdue_count(db.session.get(User, user.id), today(app))
                  for name, user in (("cs1", team.cs1), ("sales1", team.sales1))}
    assert counts == {"cs1": 1, "sales1": 0}
    client.login("cs1")
    response = client.get("/service/follow-ups/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.data)).active.values)
    assert response.status_code == 200 and len(rows) == 2
    assert rows[1][0] == record.number and rows[1][-1] == 6
