"""The audit trail under clearance: an event about a record above the auditor's clearance is
shown without the record's name, number or values, no filter on the object finds it, and the
level each event is shown under is covered by its hash."""

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models import AuditEvent, Level, Role
from app.services.core import audit
from tests.factories.customers import make_contact, make_customer
from tests.factories.people import deactivate, make_people, make_user
from tests.support import PASSWORD, is_postgres

SECRET_NAME = "绝密项目甲有限公司"
PLAIN_NAME = "普通往来乙有限公司"


@pytest.fixture
def trail(client, app):
    """A 秘密 and an 内部 customer (created, so audited) and an auditor cleared for 内部."""
    owner = make_user(app, "sales_top", clearance=Level.CONFIDENTIAL)
    secret = make_customer(app, owner, name=SECRET_NAME, confidentiality=Level.SECRET)
    plain = make_customer(app, owner, name=PLAIN_NAME)
    make_user(app, "auditor", role=Role.AUDITOR)
    client.login("auditor")
    return secret, plain


def _page(client, query: str = "") -> str:
    return client.get(f"/audit/?{query}").get_data(as_text=True)


def test_an_event_above_the_auditors_clearance_shows_without_name_number_or_values(
        client, trail):
    secret, plain = trail
    html = _page(client)
    assert "某秘密级记录" in html
    assert SECRET_NAME not in html and secret.number not in html
    assert PLAIN_NAME in html and plain.number in html


def test_an_auditor_cleared_for_the_level_reads_the_event_in_full(client, app, trail):
    secret, _ = trail
    make_user(app, "auditor2", role=Role.AUDITOR, clearance=Level.SECRET)
    client.login("auditor2")
    html = _page(client)
    assert SECRET_NAME in html and secret.number in html and "某秘密级记录" not in html


@pytest.mark.parametrize("probe", ["object_label={name}", "object_label={number}",
                                   "object_label={digits}", "object_id={id}",
                                   "object_type=Customer&object_id={id}"])
def test_filters_on_the_object_never_match_a_hidden_event(client, trail, probe):
    secret, plain = trail
    for customer, shown in ((secret, False), (plain, True)):
        query = probe.format(name=customer.name, number=customer.number,
                             digits=customer.number[-3:], id=customer.id)
        html = _page(client, query)
        assert ('id="audit-table"' in html) is shown, query
        assert "某秘密级记录" not in html


def test_a_contacts_events_take_its_customers_level(client, app, trail):
    secret, _ = trail
    make_contact(app, secret, name="隐秘联系人")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "contact_created"))
        assert event.object_level == Level.SECRET
    assert "隐秘联系人" not in _page(client)


def test_account_events_carry_no_level_and_show_to_every_auditor(client, app, trail):
    with app.app_context():
        levels = set(db.session.scalars(select(AuditEvent.object_level).where(
            AuditEvent.object_type == "User")))
    assert levels == {None}


def test_an_events_level_is_covered_by_its_hash(app, trail):
    with app.app_context(), db.engine.begin() as conn:
        if is_postgres(app):
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(text("UPDATE audit_events SET object_level = 1 WHERE object_level = 3"))
    with app.app_context():
        report = audit.verify_chain()
        assert not report.intact and report.reason == "content"


def test_an_account_event_listing_secret_customers_takes_their_level(client, app):
    team = make_people(app, "leaver", "sales_top", "sales_mgr", "auditor",
                       leaver=Level.SECRET, sales_top=Level.SECRET, auditor=Level.INTERNAL)
    secret = make_customer(app, team["leaver"], name=SECRET_NAME, confidentiality=Level.SECRET)
    deactivate(app, team["leaver"])
    client.login("sales_mgr")
    response = client.post_form(f"/sales/reassign/{team['leaver'].id}",
                                {"to": team["sales_top"].id, "password": PASSWORD})
    assert response.status_code == 303
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "owner_reassigned"))
        assert event.object_level == Level.SECRET and secret.number in event.changes
    client.login("auditor")
    html = _page(client, "action=owner_reassigned")
    assert "某秘密级记录" in html and secret.number not in html
