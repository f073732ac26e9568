"""Migration 0008 on a trail written before it: each event gets its record's level (机密 when
the record is gone, the highest listed customer's for lists of numbers, none for accounts), the
append-only guard holds again afterwards, and `flask audit verify` still holds for the old rows
and the new ones after them."""

import os
import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.models import AuditEvent, Level, Role
from app.models.audit import GENESIS_HASH
from app.models.base import utcnow
from app.services.core import audit
from tests.factories.customers import make_customer
from tests.factories.people import make_user

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
SERVER = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
def old_app(tmp_path):
    """An application on a database of its own (migrations move its schema)."""
    if not SERVER:
        yield create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'old.db'}",
                         SECRET_KEY="test-secret")
        return
    name = f"taizhang_migration_{uuid.uuid4().hex[:8]}"
    server = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, SECRET_KEY="test-secret")
    yield app
    with app.app_context():
        db.engine.dispose()
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _forget_the_trail(app) -> None:
    """The customers' own creation events go, so that the trail can be rewritten as 0007's."""
    with app.app_context(), db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        conn.execute(text("DELETE FROM audit_events"))
        conn.execute(text("UPDATE audit_head SET last_hash = :g"), {"g": GENESIS_HASH})


def _old_events(app, rows) -> None:
    """Events as revision 0007 wrote them: no level, hashed without one."""
    with app.app_context(), db.engine.begin() as conn:
        prev = GENESIS_HASH
        for action, object_type, object_id, label, changes in rows:
            event = AuditEvent(at=utcnow(), actor_id=None, actor_name="-", action=action,
                               object_type=object_type, object_id=object_id,
                               object_label=label, changes=changes, ip=None, hash_version=1)
            digest = audit.event_hash(prev, event)
            conn.execute(text(
                "INSERT INTO audit_events (at, actor_id, actor_name, action, object_type, "
                "object_id, object_label, changes, ip, prev_hash, hash) VALUES (:at, NULL, "
                "'-', :action, :type, :oid, :label, :changes, NULL, :prev, :hash)"),
                {"at": event.at, "action": action, "type": object_type, "oid": object_id,
                 "label": label, "changes": changes, "prev": prev, "hash": digest})
            prev = digest
        conn.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": prev})


def test_the_migration_gives_old_events_their_levels_and_keeps_the_chain(old_app):
    with old_app.app_context():
        upgrade(directory=MIGRATIONS)
    owner = make_user(old_app, "sales_top", clearance=Level.CONFIDENTIAL)
    secret = make_customer(old_app, owner, confidentiality=Level.SECRET)
    plain = make_customer(old_app, owner)
    _forget_the_trail(old_app)
    with old_app.app_context():
        downgrade(directory=MIGRATIONS, revision="0007")
    _old_events(old_app, [
        ("customer_created", "Customer", secret.id, secret.number, "{}"),
        ("customer_created", "Customer", plain.id, plain.number, "{}"),
        ("sales_entry_deleted", "SalesEntry", 999, "gone", "{}"),
        ("owner_reassigned", "User", owner.id, "x",
         f'{{"customer_numbers":["{plain.number}","{secret.number}"]}}'),
        ("login", "User", owner.id, "x", "{}"),
    ])
    with old_app.app_context():
        upgrade(directory=MIGRATIONS)
        levels = [e.object_level for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
        assert levels == [Level.SECRET, Level.INTERNAL, Level.CONFIDENTIAL, Level.SECRET, None]
        audit.record("after_the_migration", db.session.get(type(owner), owner.id))
        db.session.commit()
        report = audit.verify_chain()
        assert report.intact and report.checked == 6
    with old_app.app_context(), pytest.raises(DBAPIError), db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET object_level = 1"))


def test_the_migration_cannot_be_undone_once_events_hash_their_level(old_app):
    with old_app.app_context():
        upgrade(directory=MIGRATIONS)
        make_user(old_app, "auditor", role=Role.AUDITOR)
        audit.record("test_event")
        db.session.commit()
        with pytest.raises(SystemExit):  # Flask-Migrate's answer to the migration's error
            downgrade(directory=MIGRATIONS, revision="0007")
        db.session.rollback()
        assert audit.verify_chain().intact
