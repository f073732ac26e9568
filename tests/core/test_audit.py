"""The audit trail: append-only, hash-chained, verifiable, and free of personal data."""

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.models import AuditEvent, Role
from app.services.core import audit
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.support import is_postgres


@pytest.fixture
def events(app):
    """A few real events: a sign-in history and a customer created and edited."""
    owner = make_user(app, "sales1")
    customer = make_customer(app, owner)
    with app.app_context():
        for i in range(3):
            audit.record("test_event", customer, changes={"n": i})
        db.session.commit()
    return customer


def _tamper(app, sql: str, **params) -> None:
    """What a database administrator could do behind the application's back."""
    with app.app_context(), db.engine.begin() as conn:
        if is_postgres(app):
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(sql), params)
        else:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))
            conn.execute(text(sql), params)


def _verify(app):
    runner = app.test_cli_runner()
    return runner.invoke(args=["audit", "verify"])


def test_an_untouched_chain_verifies(app, events):
    result = _verify(app)
    assert result.exit_code == 0 and "intact: 4 events" in result.output


def test_a_changed_row_is_named_by_verify(app, events):
    _tamper(app, "UPDATE audit_events SET changes = :forged WHERE id = 3", forged='{"n":99}')
    result = _verify(app)
    assert result.exit_code == 1
    assert "event id 3" in result.output and "content" in result.output


def test_a_deleted_row_breaks_the_link_of_the_next(app, events):
    _tamper(app, "DELETE FROM audit_events WHERE id = 2")
    result = _verify(app)
    assert result.exit_code == 1 and "event id 3" in result.output and "link" in result.output


def test_a_deleted_last_row_is_caught_by_the_chain_head(app, events):
    _tamper(app, "DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)")
    result = _verify(app)
    assert result.exit_code == 1 and "tail" in result.output


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET action = 'x'",
                                       "DELETE FROM audit_events"])
def test_the_database_refuses_to_change_or_delete_events(app, events, statement):
    with app.app_context(), pytest.raises(DBAPIError), db.engine.begin() as conn:
        conn.execute(text(statement))
    with app.app_context():
        assert db.session.query(AuditEvent).count() == 4


def test_each_event_links_to_the_previous_one(app, events):
    with app.app_context():
        rows = db.session.query(AuditEvent).order_by(AuditEvent.id).all()
        assert rows[0].prev_hash == "0" * 64
        assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))


def test_edits_record_old_and_new_values_but_personal_data_only_as_changed(client, app):
    owner = make_user(app, "sales1")
    customer = make_customer(app, owner, phone="13912345678", contact_name="王经理")
    client.login("sales1")
    form = client.get(f"/customers/{customer.id}/edit").get_data(as_text=True)
    assert "13912345678" not in form
    response = client.post_form(f"/customers/{customer.id}/edit", {
        "name": customer.name, "kind": "unit", "contact_name": "李主任", "phone": "13700001111",
        "industry": "TECH", "type": "intent", "grade": "A", "confidentiality": "2",
        "owner": str(owner.id), "version": "1"})
    assert response.status_code == 303
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="customer_updated").one()
        changes = json.loads(event.changes)
    assert changes["contact_name"] == ["王经理", "李主任"]
    assert changes["type"] == ["potential", "intent"]
    assert changes["phone"] == "changed"
    assert "13700001111" not in event.changes and "13912345678" not in event.changes


def test_access_denials_are_audited(client, app):
    owner = make_user(app, "sales1")
    make_user(app, "sales2")
    customer = make_customer(app, owner)
    client.login("sales2")
    assert client.get(f"/customers/{customer.id}/edit").status_code == 403
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="access_denied").one()
    assert event.object_id == customer.id and '"status":403' in event.changes


def test_only_auditors_read_the_trail(client, app, events):
    make_user(app, "auditor", role=Role.AUDITOR)
    make_user(app, "admin", role=Role.ADMIN)
    client.login("admin")
    assert client.get("/audit/").status_code == 403
    client.login("auditor")
    html = client.get("/audit/?action=test_event").get_data(as_text=True)
    assert html.count("<code>test_event</code>") == 3
    verify = client.post_form("/audit/verify", {}).get_data(as_text=True)
    assert "哈希链完整" in verify
