"""Policy matrix: persona x hold route x level -> status.

Rules checked (issue 13 req. 7 and 11): only the archivist and the GM place, see and release
legal holds; a hold on an item above the user's clearance is 404 (the archivist, 秘密, does
not see the 机密 one), and so is holding such an item; everyone else gets 403 on the list and
the form and 404 on a hold. The holds: one per level (P, I, S, C) on a sales item of that
level; the new holds are posted on other items of the same levels."""

import pytest

from app.models import DeptCode
from tests.factories import snapshots
from tests.factories.archive import catalogue_item
from tests.factories.disposals import hold
from tests.factories.world import PERSONAS, RECORDS, build_world
from tests.support import sheet

LEVELS = list(RECORDS)  # P, I, S, C
NONE = (404, 404, 404, 404)
HOLDERS = {"archivist", "gm"}
VIEW = {p: NONE for p in PERSONAS} | {"archivist": (200, 200, 200, 404),
                                      "gm": (200, 200, 200, 200)}
LISTED = {"archivist": "PIS", "gm": "PISC"}
COVERED = {"archive.hold_list", "archive.hold_export", "archive.hold_new",
           "archive.hold_detail", "archive.hold_release"}


def _posted(statuses: tuple) -> tuple:
    return tuple(303 if s == 200 else s for s in statuses)


@pytest.fixture
@snapshots.reused(folders=("ARCHIVE_ROOT",))
def world(app):
    world = build_world(app)
    gm = world.users["gm"]

    def item(key):
        return catalogue_item(app, gm, dept=DeptCode.SALES, level=RECORDS[key][1])

    world.holds = {key: hold(app, gm, item(key)) for key in LEVELS}
    world.fresh = {key: item(key) for key in LEVELS}
    return world


def _listed(response, world) -> str | None:
    if response.status_code != 200:
        return None
    if response.mimetype.endswith("spreadsheetml.sheet"):
        ids = {row[0] for row in sheet(response)[1:]}
        return "".join(k for k in LEVELS if world.holds[k].id in ids)
    text = response.get_data(as_text=True)
    return "".join(k for k in LEVELS if f'id="hold-{world.holds[k].id}"' in text)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_hold_routes_follow_the_matrix(app, client, world, persona):
    """Each persona gets exactly the expected answer on every hold route and level."""
    client.login(persona)
    urls = {k: f"/archive/holds/{world.holds[k].id}" for k in LEVELS}
    observed = {
        "list": _listed(client.get("/archive/holds/"), world),
        "export": _listed(client.get("/archive/holds/export.xlsx"), world),
        "detail": tuple(client.get(urls[k]).status_code for k in LEVELS),
        "form": client.get("/archive/holds/new").status_code,
        "new": tuple(client.post_form("/archive/holds/new", {
            "item_id": str(world.fresh[k].id), "reason": "诉讼保全"}).status_code
            for k in LEVELS),
        "release": tuple(client.post_form(f"{urls[k]}/release", {
            "release_reason": "案件审结"}).status_code for k in LEVELS),
    }
    holder = persona in HOLDERS
    expected = {
        "list": LISTED.get(persona), "export": LISTED.get(persona), "detail": VIEW[persona],
        "form": 200 if holder else 403,
        "new": _posted(VIEW[persona]) if holder else (403,) * 4,
        "release": _posted(VIEW[persona]),
    }
    assert observed == expected


def test_a_released_hold_cannot_be_released_again(app, client, world):
    """Release is for active holds: the second attempt is 403, and the hold's page says 已解除."""
    client.login("gm")
    url = f"/archive/holds/{world.holds['P'].id}"
    assert client.post_form(f"{url}/release", {"release_reason": "审结"}).status_code == 303
    assert client.post_form(f"{url}/release", {"release_reason": "再解"}).status_code == 403
    assert 'data-status="released"' in client.get(url).get_data(as_text=True)


def test_holding_a_customer_above_clearance_is_404(app, client, world):
    """The archivist (秘密) cannot hold a 机密 customer's items: that customer does not exist
    for them; the 秘密 one they can."""
    client.login("archivist")

    def post(key):
        return client.post_form("/archive/holds/new", {
            "scope": "customer", "customer_id": str(world.customers[key].id),
            "reason": "诉讼保全"}).status_code

    assert (post("C"), post("S")) == (404, 303)
