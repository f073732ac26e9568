"""Policy matrix of the duty roster: persona x route -> what the server answers.

Rules: the 客服 manager plans, corrects and removes duties and sees the department's roster
and its holiday coverage; 客服 staff see and fill in their own duties only (another's is 404);
the GM reads everything (403 on every change); every other persona gets 403 (404 for an entry).
"""

from datetime import date

import pytest

from tests.factories import snapshots
from tests.factories.world import PERSONAS, build_world
from tests.service.roster.conftest import make_duty

COVERED = {"service.roster_list", "service.roster_export", "service.roster_print",
           "service.roster_new", "service.roster_edit", "service.roster_delete",
           "service.roster_holidays", "service.roster_holidays_export"}
READERS = {"cs1", "cs_mgr", "gm"}


def _expected(persona: str) -> dict:
    reads = 200 if persona in READERS else 403
    manager = persona == "cs_mgr"
    return {
        "list": reads, "export": reads, "print": reads,
        "new": 200 if manager else 403,
        "edit_own": {"cs1": 200, "cs_mgr": 200, "gm": 403}.get(persona, 404),
        "edit_other": {"cs_mgr": 200, "gm": 403}.get(persona, 404),
        "holidays": 200 if persona in ("cs_mgr", "gm") else 403,
        "holidays_export": 200 if persona in ("cs_mgr", "gm") else 403,
        "delete": {"cs_mgr": 303, "gm": 403}.get(persona, 404),
    }


@pytest.fixture
@snapshots.reused
def world(app):
    world = build_world(app)
    users = world.users
    world.own = make_duty(app, users["cs_mgr"], users["cs1"], date(2026, 10, 1))
    world.other = make_duty(app, users["cs_mgr"], users["cs_mgr"], date(2026, 10, 2))
    world.spare = make_duty(app, users["cs_mgr"], users["cs_mgr"], date(2026, 10, 3))
    return world


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_roster_routes_follow_the_matrix(client, world, persona):
    client.login(persona)
    expected = _expected(persona)
    observed = {
        "list": client.get("/service/roster/?month=2026-10").status_code,
        "export": client.get("/service/roster/export.xlsx?month=2026-10").status_code,
        "print": client.get("/service/roster/print.pdf?month=2026-10").status_code,
        "new": client.get("/service/roster/new").status_code,
        "edit_own": client.get(f"/service/roster/{world.own.id}/edit").status_code,
        "edit_other": client.get(f"/service/roster/{world.other.id}/edit").status_code,
        "holidays": client.get("/service/roster/holidays?year=2026").status_code,
        "holidays_export": client.get(
            "/service/roster/holidays/export.xlsx?year=2026").status_code,
        "delete": client.post_form(f"/service/roster/{world.spare.id}/delete", {}).status_code,
    }
    assert observed == expected


@pytest.mark.parametrize("persona", ["cs1", "cs_mgr", "gm"])
def test_the_list_shows_what_the_scope_allows(client, world, persona):
    """Staff see their own duties only; the manager and the GM the whole roster."""
    client.login(persona)
    html = client.get("/service/roster/?month=2026-10").get_data(as_text=True)
    assert f'id="duty-{world.own.id}"' in html
    assert (f'id="duty-{world.other.id}"' in html) == (persona != "cs1")
