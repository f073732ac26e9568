"""Policy matrix: persona x return visit route x confidentiality level -> what the server
answers.

Rules checked (app/policy/service.py ReturnVisitRules): 客服 staff see the visits assigned to
them, the 客服 manager all of 客服部's, the GM all (read only); in sales, the customer's owner
reads their customers' visits (read only); everyone else none. Recording and rescheduling are
the assignee's and the 客服 manager's, assigning the manager's. A visit above the user's
clearance is 404 on every route, and absent from the list and the export.
"""

import pytest

from tests.factories import snapshots
from tests.factories.world import PERSONAS, RECORDS, build_world
from tests.service.visits.conftest import days, make_visit
from tests.support import sheet

LEVELS = list(RECORDS)  # P, I, S, C
NONE = (404, 404, 404, 404)
VIEW = {
    "sales1": (200, 200, 404, 404), "sales2": NONE, "sales_top": (404, 404, 200, 200),
    "sales_mgr": NONE, "cs1": (200, 200, 404, 404), "cs_mgr": (200, 200, 200, 404),
    "risk1": NONE, "gm": (200, 200, 200, 200), "archivist": NONE, "admin": NONE,
    "auditor": NONE,
}
EDIT = {**VIEW, "sales1": (403, 403, 404, 404), "sales_top": (404, 404, 403, 403),
        "gm": (403, 403, 403, 403)}
ASSIGN = {**EDIT, "cs1": (403, 403, 404, 404), "cs_mgr": (303, 303, 303, 404)}
LISTED = {"sales1": "PI", "sales2": "", "sales_top": "SC", "sales_mgr": "", "cs1": "PI",
          "cs_mgr": "PIS", "gm": "PISC"}
COVERED = {"service.visit_list", "service.visit_export", "service.visit_detail",
           "service.visit_record", "service.visit_reschedule", "service.visit_assign"}


@pytest.fixture
@snapshots.reused
def world(app):
    world = build_world(app)
    cs1 = world.users["cs1"]
    world.visits = {key: make_visit(app, world.customers[key], cs1, days(app, -1))
                    for key in LEVELS}
    return world


def _listed(response, world) -> str | None:
    if response.status_code != 200:
        return None
    if response.mimetype.endswith("spreadsheetml.sheet"):
        ids = {row[0] for row in sheet(response)[1:]}
        return "".join(k for k in LEVELS if world.visits[k].id in ids)
    text = response.get_data(as_text=True)
    return "".join(k for k in LEVELS if f'data-visit="{world.visits[k].id}"' in text)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_visit_routes_follow_the_matrix(client, world, persona):
    """Each persona gets exactly the expected answer on every visit route and level."""
    client.login(persona)
    url = {k: f"/service/visits/{world.visits[k].id}" for k in LEVELS}
    cs1 = str(world.users["cs1"].id)
    observed = {
        "detail": tuple(client.get(url[k]).status_code for k in LEVELS),
        "fragment": tuple(client.htmx("GET", url[k]).status_code for k in LEVELS),
        "record": tuple(client.get(f"{url[k]}/record").status_code for k in LEVELS),
        "reschedule": tuple(client.get(f"{url[k]}/reschedule").status_code for k in LEVELS),
        "assign": tuple(client.post_form(f"{url[k]}/assign", {"assignee": cs1}).status_code
                        for k in LEVELS),
        "list": _listed(client.get("/service/visits/"), world),
        "overdue": _listed(client.get("/service/visits/?status=overdue"), world),
        "export": _listed(client.get("/service/visits/export.xlsx"), world),
    }
    expected = {
        "detail": VIEW[persona], "fragment": VIEW[persona], "record": EDIT[persona],
        "reschedule": EDIT[persona], "assign": ASSIGN[persona], "list": LISTED.get(persona),
        "overdue": LISTED.get(persona), "export": LISTED.get(persona),
    }
    assert observed == expected


def test_anonymous_users_are_sent_to_sign_in(client, world):
    """Without a session every visit page redirects to /login."""
    visit = world.visits["P"].id
    for url in ("/service/visits/", "/service/visits/export.xlsx", f"/service/visits/{visit}",
                f"/service/visits/{visit}/record"):
        response = client.get(url)
        assert response.status_code in (302, 303) and "/login" in response.location
