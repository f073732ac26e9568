"""Policy matrix: persona x disposal route x list -> status.

Rules checked (issue 13 req. 8 and 11): the archivist drafts (the due list, a new list) and
executes but approves none: no keep decision; the manager of the items' department sees their
department's lists and keeps items on them; the GM sees every list and keeps items too; the
archivist, those reviewers and the GM may abort a list in its waiting period; a list above the
user's clearance is 404 (the archivist, 秘密, does not see the 机密 one; the sales manager, 秘密,
neither), and so is another department's list for a manager; everyone else has none.

The lists under review: P, I, S, C (sales items of that level) and K (a 客服 item, 内部);
W, a sales list in its waiting period; X, one past it; D, one executed."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import DeptCode, Level
from app.models.archive import DisposalEntry
from tests.factories import snapshots
from tests.factories.disposals import (
    approve_disposal,
    draft_disposal,
    end_waiting,
    execute,
    expired_item,
)
from tests.factories.world import PERSONAS, build_world
from tests.support import PASSWORD, sheet

REVIEWED = ("P", "I", "S", "C", "K")
LEVEL = {"P": Level.PUBLIC, "I": Level.INTERNAL, "S": Level.SECRET, "C": Level.CONFIDENTIAL}
NONE = (404,) * 5
VIEW = {p: NONE for p in PERSONAS} | {
    "archivist": (200, 200, 200, 404, 200), "gm": (200,) * 5,
    "sales_mgr": (200, 200, 200, 404, 404), "cs_mgr": (404, 404, 404, 404, 200)}
# Whether each persona sees the sales lists W, X and D (内部).
SEES_SALES = {"archivist", "gm", "sales_mgr"}
LISTED = {"archivist": "PISKWXD", "gm": "PISCKWXD", "sales_mgr": "PISWXD", "cs_mgr": "K"}
READERS = {"archivist", "gm", "sales_mgr", "cs_mgr"}
COVERED = {"archive.disposal_list", "archive.disposal_export", "archive.disposal_new",
           "archive.disposal_due_export", "archive.disposal_detail", "archive.disposal_keep",
           "archive.disposal_abort", "archive.disposal_execute", "archive.disposal_status",
           "archive.disposal_register", "archive.disposal_register_export",
           "archive.disposal_certificate"}
pytestmark = pytest.mark.usefixtures("immediate_jobs")


def _team(world) -> SimpleNamespace:
    users = world.users
    return SimpleNamespace(archivist=users["archivist"], gm=users["gm"],
                           manager=users["sales_mgr"])


def _list(app, world, **fields):
    return draft_disposal(app, world.users["archivist"], [
        expired_item(app, world.users["archivist"], **fields)])


@pytest.fixture
@snapshots.reused(folders=("ARCHIVE_ROOT",))
def world(app):
    world = build_world(app)
    team = _team(world)
    lists = {key: _list(app, world, level=level) for key, level in LEVEL.items()}
    lists["K"] = _list(app, world, dept=DeptCode.SERVICE)
    for key in ("W", "X", "D"):
        lists[key] = _list(app, world)
        approve_disposal(app, team, lists[key])
    for key in ("X", "D"):
        end_waiting(app, lists[key])
    execute(app, team.archivist, lists["D"])
    world.lists = lists
    world.due = expired_item(app, world.users["archivist"])
    return world


def _listed(response, world) -> str | None:
    if response.status_code != 200:
        return None
    if response.mimetype.endswith("spreadsheetml.sheet"):
        numbers = {row[0] for row in sheet(response)[1:]}
        return "".join(k for k, d in world.lists.items() if d.number in numbers)
    text = response.get_data(as_text=True)
    return "".join(k for k, d in world.lists.items() if f'id="disposal-{d.id}"' in text)


def _on(persona: str, allowed: bool, yes: int) -> int:
    """A sales list's answer: `yes` if allowed, 403 if seen, else 404."""
    if persona not in SEES_SALES:
        return 404
    return yes if allowed else 403


def _entry_of(app, disposal) -> int:
    with app.app_context():
        return db.session.scalar(select(DisposalEntry.id).where(
            DisposalEntry.disposal_id == disposal.id))


def _observed(app, client, world) -> dict:
    lists = world.lists
    url = {k: f"/archive/disposals/{d.id}" for k, d in lists.items()}
    return {
        "list": _listed(client.get("/archive/disposals/"), world),
        "export": _listed(client.get("/archive/disposals/export.xlsx"), world),
        "detail": tuple(client.get(url[k]).status_code for k in REVIEWED),
        "status": tuple(client.get(f"{url[k]}/status").status_code for k in REVIEWED),
        "due": client.get("/archive/disposals/new").status_code,
        "due_export": client.get("/archive/disposals/due.xlsx").status_code,
        "register": client.get("/archive/disposals/register").status_code,
        "register_export": client.get("/archive/disposals/register.xlsx").status_code,
        "certificate": client.get(f"{url['D']}/certificate.pdf").status_code,
        "keep": tuple(client.post_form(f"{url[k]}/keep", {
            "entry_id": str(_entry_of(app, lists[k])), "reason": "仍需保存"}).status_code
            for k in REVIEWED),
        "abort": client.post_form(f"{url['W']}/abort", {"reason": "暂缓"}).status_code,
        "execute": client.post_form(f"{url['X']}/execute", {"password": PASSWORD}).status_code,
        "new": client.post_form("/archive/disposals/new", {
            "item_ids": str(world.due.id)}).status_code,
    }


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_disposal_routes_follow_the_matrix(app, client, world, persona):
    """Each persona gets exactly the expected answer on every disposal route and list."""
    client.login(persona)
    observed = _observed(app, client, world)
    view, archivist = VIEW[persona], persona == "archivist"
    keepers = {"gm", "sales_mgr", "cs_mgr"}
    expected = {
        "list": LISTED.get(persona), "export": LISTED.get(persona), "detail": view,
        "status": view,
        "due": 200 if archivist else 403, "due_export": 200 if archivist else 403,
        "register": 200 if persona in READERS else 403,
        "register_export": 200 if persona in READERS else 403,
        "certificate": _on(persona, True, 200),
        "keep": tuple((303 if persona in keepers else 403) if s == 200 else s for s in view),
        "abort": _on(persona, True, 303),
        "execute": _on(persona, archivist, 303),
        "new": 303 if archivist else 403,
    }
    assert observed == expected
