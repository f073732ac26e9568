"""我的工作台's service tiles (registered through services.core.home_tiles): return visits due
within N days (SERVICE_VISIT_TILE_DAYS, default 3) and overdue, overdue follow-ups, and SLA
breaches of open records, each counted in the user's policy scope; people outside 客服部 and
the GM get none of them; the sales visit block stays."""

import re

from app.models.service.records import ServiceStatus
from app.models.service.visits import ReturnVisitStatus
from tests.factories.service import make_service_record
from tests.service.visits.conftest import days, make_visit


def _counts(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-count="([\w-]+)"[^>]*>([^<]+)<', page))


def _visits(app, team):
    for offset in (0, 3):
        make_visit(app, team.customer, team.cs1, days(app, offset))
    make_visit(app, team.customer, team.cs1, days(app, 4))  # beyond 3 days
    make_visit(app, team.customer, team.cs1, days(app, -2))  # overdue
    make_visit(app, team.customer, team.cs1, days(app, -5), status=ReturnVisitStatus.DONE)
    make_visit(app, team.customer, team.cs2, days(app, -1))  # overdue, cs2's


def test_visit_tile_counts_the_users_own_visits(app, client, team):
    """cs1: 2 due within 3 days (today and day 3, not day 4), 1 overdue (not cs2's, not the
    done one); the 客服 manager counts the department's."""
    _visits(app, team)
    client.login("cs1")
    counts = _counts(client.get("/").get_data(as_text=True))
    assert (counts["visits-due-soon"], counts["visits-overdue"]) == ("2", "1")
    client.login("cs_mgr")
    counts = _counts(client.get("/").get_data(as_text=True))
    assert (counts["visits-due-soon"], counts["visits-overdue"]) == ("2", "2")


def test_tile_looks_ahead_the_configured_days(app, client, team):
    """With SERVICE_VISIT_TILE_DAYS = 4 the day-4 visit counts too, and the link says so."""
    _visits(app, team)
    app.config["SERVICE_VISIT_TILE_DAYS"] = 4
    try:
        client.login("cs1")
        page = client.get("/").get_data(as_text=True)
    finally:
        del app.config["SERVICE_VISIT_TILE_DAYS"]
    assert _counts(page)["visits-due-soon"] == "3"
    assert f"end={days(app, 4)}" in page and "4 天内到期" in page


def test_sla_tile_counts_open_breached_records_in_scope(app, client, team):
    """Open records with a breached deadline that the user handles count; closed ones and
    records the user does not see do not."""
    make_service_record(app, team.cs1, team.customer, handler_id=team.cs1.id,
                        response_breached=True)
    make_service_record(app, team.cs1, team.customer, handler_id=team.cs1.id,
                        resolution_breached=True, status=ServiceStatus.CLOSED)
    make_service_record(app, team.cs2, team.customer, handler_id=team.cs2.id,
                        resolution_breached=True)
    client.login("cs1")
    counts = _counts(client.get("/").get_data(as_text=True))
    assert counts["sla-breached"] == "1" and counts["follow-ups-overdue"] == "0"
    client.login("cs_mgr")
    assert _counts(client.get("/").get_data(as_text=True))["sla-breached"] == "2"


def test_people_outside_service_get_no_service_tiles(app, client, team):
    """A salesperson reads their customers' visits but gets no 客服 tile; their own overdue
    sales visits block is still there."""
    _visits(app, team)
    client.login("sales1")
    page = client.get("/").get_data(as_text=True)
    assert 'data-tile="return-visits"' not in page and 'data-tile="sla"' not in page
    assert 'data-count="overdue-visits"' in page


def test_home_statements_do_not_depend_on_visit_rows(app, client, team):
    """Each figure is one capped count: more visits send no more statements."""
    from tests.queries import page_statements

    client.login("cs1")
    make_visit(app, team.customer, team.cs1, days(app, 1))
    few = page_statements(client, "/")
    for offset in range(-10, 10):
        make_visit(app, team.customer, team.cs1, days(app, offset))
    assert page_statements(client, "/") == few
