"""Templates never query (DESIGN.md): the service loads what the page shows. tests/queries.py
records every SQL statement sent while a template renders and tests/conftest.py fails the test
that caused it; here, that the record works, and the record pages with everything they can show
(signed versions, a pending request, payments, a report, a transfer) rendered under it."""

import pytest
from flask import render_template_string
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select

from app.extensions import db
from app.models import CustomerStatus, Level, User
from app.services.sales.ownership.transfers import request_transfer
from tests.factories import bulk
from tests.factories.approvals import approved_customer, latest_request_id
from tests.factories.people import make_people, make_team
from tests.factories.sales import approved, make_contract, make_payment, make_plan, make_report
from tests.queries import TemplateQueries


def _users() -> int:
    return db.session.scalar(select(func.count(User.id)))


class _Counted:
    """Text that counts the users when a template prints it."""

    def __html__(self) -> str:
        return str(_users())


@pytest.fixture
def probe():
    """A recorder of its own, beside the session's."""
    recorder = TemplateQueries()
    recorder.install()
    recorder.reset()
    yield recorder
    recorder.uninstall()


@pytest.mark.template_queries
def test_a_query_from_a_page_or_a_fragment_is_recorded_with_its_template(app, probe):
    with app.test_request_context():
        render_template_string("{{ users() }}", users=_users)
        render_block("errors/error.html", "content", code=500, title="", message=_Counted())
        _users()  # outside any template: the view's own work
    assert [(template, "FROM users" in sql) for template, sql in probe.found] == [
        (None, True), ("errors/error.html", True)]


def test_a_template_that_failed_is_forgotten_by_the_next_request(app, client, probe):
    """A template that raised sent no end signal; the next request's view queries freely."""
    make_people(app, "sales1")
    client.login("sales1")
    with app.test_request_context(), pytest.raises(ZeroDivisionError):
        render_template_string("{{ 1 // 0 }}")
    probe.found.clear()
    assert client.get("/customers/").status_code == 200
    assert probe.found == []


@pytest.fixture
def records(app):
    """A signed customer with a signed contract (paid in part), a visit plan and its report, a
    transfer asked for by a colleague, and another customer waiting for the manager."""
    team = make_team(app, {"staff": "sales1", "staff2": "sales2", "manager": "sales_mgr",
                           "gm": "gm"}, named=True, cleared=Level.SECRET)
    customer = approved_customer(app, team)
    contract = approved(app, team, make_contract(app, customer, by=team.staff))
    make_payment(app, contract, "100.00")
    plan = make_plan(app, customer)
    report = make_report(app, customer, plan=plan)
    waiting = bulk.customers(app, [team.staff], status=CustomerStatus.DRAFT)[0]
    bulk.submitted(app, [waiting])
    bulk.import_batches(app, [team.staff])
    with app.app_context():
        claim = request_transfer(db.session.get(type(customer), customer.id),
                                 db.session.get(User, team.staff2.id), "接手客户")
        db.session.commit()
        claim_id = claim.id
    return {"customer": customer.id, "contract": contract.id, "plan": plan.id,
            "report": report.id, "request": latest_request_id(app, waiting), "claim": claim_id}


PAGES = ("/customers/{customer}", "/customers/{customer}/versions/1",
         "/sales/contracts/{contract}", "/sales/contracts/{contract}/versions/1",
         "/sales/contracts/{contract}/payments", "/sales/visits/plans/{plan}",
         "/sales/visits/reports/{report}", "/sales/visits/customers/{customer}",
         "/approvals/{request}", "/approvals/", "/sales/ownership/{claim}", "/sales/imports/1",
         "/", "/sales/", "/sales/statistics/", "/sales/results/", "/sales/visits/grid")


def test_record_pages_render_without_a_query(client, records):
    """As the sales manager, who sees every one of them in full."""
    client.login("sales_mgr")
    for page in PAGES:
        url = page.format(**records)
        assert client.get(url).status_code == 200, url
