"""Who may print what: the detail page's policy plus the print permission, 404 above clearance,
every print audited, and downloads that no cache keeps, named in Chinese (RFC 5987)."""

import json
from urllib.parse import quote

import pytest

from app.extensions import db
from app.models import AuditEvent, Level
from tests.factories.approvals import approved_customer, request_of
from tests.factories.customers import make_customer
from tests.factories.people import make_user, print_team


@pytest.fixture
def team(app):
    """A salesperson, their manager and a 客服 colleague, named and cleared for 机密."""
    return print_team(app)


def _print_events(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.query(AuditEvent).filter_by(action="print").all()


def test_a_record_above_the_users_clearance_does_not_exist_for_print(client, app, team):
    customer = approved_customer(app, team, confidentiality=Level.SECRET)
    make_user(app, "sales_low", full_name="低密级", clearance=Level.INTERNAL)
    client.login("sales_low")
    assert client.get(f"/customers/{customer.id}/print.pdf").status_code == 404
    assert client.get(f"/approvals/{request_of(app, customer)}/sheet.pdf").status_code == 404
    assert _print_events(app) == []


def test_a_user_who_sees_only_the_basic_card_may_not_print(client, app, team):
    customer = approved_customer(app, team)
    client.login("cs1")
    assert client.get(f"/customers/{customer.id}").status_code == 200
    assert client.get(f"/customers/{customer.id}/print.pdf").status_code == 403
    assert client.get(f"/approvals/{request_of(app, customer)}/sheet.pdf").status_code == 403


@pytest.mark.parametrize("username", ["sales1", "sales_mgr"])
def test_who_sees_the_full_profile_may_print_it(client, app, team, username):
    customer = make_customer(app, team.staff)
    client.login(username)
    assert client.get(f"/customers/{customer.id}/print.pdf").status_code == 200


def test_signing_in_is_required(client, app, team):
    customer = make_customer(app, team.staff)
    response = client.get(f"/customers/{customer.id}/print.pdf")
    assert response.status_code in (302, 401)
    assert response.mimetype != "application/pdf"


def test_a_print_is_a_download_no_cache_keeps(client, app, team):
    customer = make_customer(app, team.staff)
    client.login("sales1")
    response = client.get(f"/customers/{customer.id}/print.pdf")
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    chinese = quote(f"客户资料管理表-{customer.number}.pdf", safe="")
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{chinese}" in disposition
    assert f'filename="customer-{customer.number}.pdf"' in disposition


def test_the_approval_sheet_download_is_named_and_not_cached(client, app, team):
    customer = approved_customer(app, team)
    request_id = request_of(app, customer)
    client.login("sales1")
    response = client.get(f"/approvals/{request_id}/sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert f"filename*=UTF-8''{quote(f'审批单-{request_id}.pdf', safe='')}" in \
        response.headers["Content-Disposition"]


def test_every_print_is_audited_with_who_and_which_document(client, app, team):
    customer = approved_customer(app, team)
    request_id = request_of(app, customer)
    client.login("sales_mgr")
    client.get(f"/customers/{customer.id}/print.pdf")
    client.get(f"/customers/{customer.id}/print.pdf")
    client.get(f"/approvals/{request_id}/sheet.pdf")
    events = _print_events(app)
    assert [(e.object_type, e.object_id) for e in events] == [
        ("Customer", customer.id), ("Customer", customer.id), ("ApprovalRequest", request_id)]
    assert all(e.actor_id == team.manager.id for e in events)
    assert json.loads(events[0].changes) == {"document": f"客户资料管理表-{customer.number}.pdf"}


def test_the_print_button_shows_only_to_who_may_print(client, app, team):
    customer = approved_customer(app, team)
    link = f"/customers/{customer.id}/print.pdf"
    client.login("sales1")
    assert link in client.get(f"/customers/{customer.id}").get_data(as_text=True)
    client.login("cs1")
    assert link not in client.get(f"/customers/{customer.id}").get_data(as_text=True)


def test_the_request_page_offers_the_sheet_to_who_may_print_it(client, app, team):
    customer = approved_customer(app, team)
    request_id = request_of(app, customer)
    client.login("sales_mgr")
    html = client.get(f"/approvals/{request_id}").get_data(as_text=True)
    assert f"/approvals/{request_id}/sheet.pdf" in html
