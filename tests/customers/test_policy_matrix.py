"""Policy matrix: persona x customer route x confidentiality level -> what the server answers.

Rules checked (DESIGN.md "Policy"): staff see their own records, managers their department,
the GM everything (read-only); every business role sees the shared basic card; admin and
auditor see no business data; a record above the user's clearance is 404 on every route.
"""

import pytest

from tests.factories import snapshots
from tests.factories.world import PERSONAS, RECORDS, build_world

LEVELS = list(RECORDS)  # P, I, S, C

# What the detail page shows for each record: full profile, basic card, or 404.
DETAIL = {
    "sales1": ("full", "full", 404, 404),
    "sales2": ("card", "card", 404, 404),
    "sales_top": ("card", "card", "full", "full"),
    "sales_mgr": ("full", "full", "full", 404),
    "cs1": ("card", "card", 404, 404),
    "cs_mgr": ("card", "card", "card", 404),
    "risk1": ("card", "card", 404, 404),
    "gm": ("full", "full", "full", "full"),
    "archivist": ("card", "card", "card", 404),
    "admin": (404, 404, 404, 404),
    "auditor": (404, 404, 404, 404),
}
# Edit form and personal-data reveal: owner and department manager; the GM may reveal.
EDIT = {
    "sales1": (200, 200, 404, 404),
    "sales2": (403, 403, 404, 404),
    "sales_top": (403, 403, 200, 200),
    "sales_mgr": (200, 200, 200, 404),
    "cs1": (403, 403, 404, 404),
    "cs_mgr": (403, 403, 403, 404),
    "risk1": (403, 403, 404, 404),
    "gm": (403, 403, 403, 403),
    "archivist": (403, 403, 403, 404),
    "admin": (404, 404, 404, 404),
    "auditor": (404, 404, 404, 404),
}
REVEAL = {**EDIT, "gm": (200, 200, 200, 200)}
# Which records a persona's own list ("mine") and the directory show; None = list refused.
MINE = {
    "sales1": "PI", "sales2": "", "sales_top": "SC", "sales_mgr": "PIS", "cs1": "",
    "cs_mgr": "", "risk1": "", "gm": "PISC", "archivist": "", "admin": None, "auditor": None,
}
DIRECTORY = {
    "sales1": "PI", "sales2": "PI", "sales_top": "PISC", "sales_mgr": "PIS", "cs1": "PI",
    "cs_mgr": "PIS", "risk1": "PI", "gm": "PISC", "archivist": "PIS", "admin": None,
    "auditor": None,
}
CAN_CREATE = {"sales1", "sales2", "sales_top", "sales_mgr"}
COVERED = {"customers.customer_list", "customers.customer_new", "customers.customer_detail",
           "customers.customer_edit", "customers.customer_reveal", "customers.customer_submit",
           "customers.customer_version", "customers.customer_print", "customers.customer_pick"}


def _detail_state(response) -> object:
    if response.status_code != 200:
        return response.status_code
    html = response.get_data(as_text=True)
    return "card" if 'id="basic-card"' in html else "full"


def _listed(client, world, url: str):
    response = client.get(url)
    if response.status_code != 200:
        return None
    html = response.get_data(as_text=True)
    return "".join(k for k in LEVELS if world.customers[k].number in html)


@pytest.fixture
@snapshots.reused
def world(app):
    return build_world(app)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_customer_routes_follow_the_matrix(client, world, persona):
    """Each persona gets exactly the expected answer on every customer route and level."""
    client.login(persona)
    ids = {k: world.customers[k].id for k in LEVELS}
    observed = {
        "detail": tuple(_detail_state(client.get(f"/customers/{ids[k]}")) for k in LEVELS),
        "edit": tuple(client.get(f"/customers/{ids[k]}/edit").status_code for k in LEVELS),
        "reveal": tuple(client.post_form(f"/customers/{ids[k]}/reveal",
                                         {"field": "phone", "reason": "核对联系方式"}).status_code
                        for k in LEVELS),
        "mine": _listed(client, world, "/customers/"),
        "directory": _listed(client, world, "/customers/?view=directory"),
        "search_mine": _listed(client, world, "/customers/?q=矩阵"),
        "search_directory": _listed(client, world, "/customers/?view=directory&q=级客"),
        "pick": _listed(client, world, "/customers/pick?q=矩阵"),
        "pick_card": _listed(client, world, "/customers/pick?q=级客&scope=card"),
        "new": client.get("/customers/new").status_code,
        "version": tuple(client.get(f"/customers/{ids[k]}/versions/1").status_code
                         for k in LEVELS),
        "print": tuple(client.get(f"/customers/{ids[k]}/print.pdf").status_code
                       for k in LEVELS),
        "submit": tuple(client.post_form(f"/customers/{ids[k]}/submit", {}).status_code
                        for k in LEVELS),
    }
    expected = {
        "detail": DETAIL[persona], "edit": EDIT[persona], "reveal": REVEAL[persona],
        "mine": MINE[persona], "directory": DIRECTORY[persona],
        "search_mine": MINE[persona], "search_directory": DIRECTORY[persona],
        "pick": MINE[persona], "pick_card": DIRECTORY[persona],  # the picker: the same scopes
        "new": 200 if persona in CAN_CREATE else 403,
        "version": tuple(404 if s in ("full", 404) else 403 for s in DETAIL[persona]),
        "print": REVEAL[persona],  # the full profile on paper: who may reveal may print
        "submit": tuple(303 if s == 200 and persona != "gm" else s for s in EDIT[persona]),
    }
    assert observed == expected


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_home_counts_follow_the_data_scope(client, world, persona):
    """The home page counts exactly the customers of the persona's own list, never more."""
    client.login(persona)
    html = client.get("/").get_data(as_text=True)
    mine = MINE[persona]
    if mine is None:
        assert 'data-count="total"' not in html
    else:
        assert f'data-count="total">{len(mine)}<' in html


def test_fragment_and_full_page_obey_the_same_rule(client, world):
    """An htmx fragment of a record above clearance is 404 too, like the page."""
    client.login("sales1")
    secret = world.customers["S"].id
    assert client.get(f"/customers/{secret}").status_code == 404
    assert client.htmx("GET", f"/customers/{secret}").status_code == 404
    assert client.htmx("GET", "/customers/?q=矩阵S").get_data(as_text=True).count(
        world.customers["S"].number) == 0


def test_anonymous_users_are_sent_to_sign_in(client, world):
    """Without a session every customer route redirects to /login (htmx: HX-Redirect)."""
    cid = world.customers["P"].id
    for url in ("/", "/customers/", f"/customers/{cid}", f"/customers/{cid}/edit",
                "/customers/new"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    response = client.htmx("GET", "/customers/")
    assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/login")
