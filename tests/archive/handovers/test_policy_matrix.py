"""Policy matrix: persona x handover route -> status, and which lines each persona sees.

Rules checked (issue 13 requirements 2, 4 and 11): a department's staff and manager read their
department's lists and create lists; the archivist reads every list, accepts and rejects lines
and runs the monthly filing, but approves nothing; the GM reads every list and every run;
administrators and auditors see nothing. A line above the reader's clearance does not exist
for them: it is not shown, printed or exported, and the archivist cannot decide it.
"""

import pytest

from app.extensions import db
from app.models import DeptCode, Level
from app.models.archive import ArchiveFilingRun, FilingRunStatus, HandoverLineStatus
from tests.archive.handovers.builders import lines_of, stored_list
from tests.factories import snapshots
from tests.factories.world import PERSONAS, build_world
from tests.support import pdf_text, sheet

LEVELS = {"P": Level.PUBLIC, "I": Level.INTERNAL, "S": Level.SECRET, "C": Level.CONFIDENTIAL}
SALES_PEOPLE = {"sales1", "sales2", "sales_top", "sales_mgr"}
READ_ALL = {"gm", "archivist"}
HANDING = SALES_PEOPLE | {"cs1", "cs_mgr", "risk1"}
# The sales list's lines each reader sees (by clearance); None: the list is a 404.
SEES = {"sales1": "PI", "sales2": "PI", "sales_top": "PISC", "sales_mgr": "PIS", "gm": "PISC",
        "archivist": "PIS"}
# Which lists the list page shows (S: the sales list, V: the service list).
LISTED = {**dict.fromkeys(SALES_PEOPLE, "S"), "cs1": "V", "cs_mgr": "V", "risk1": "",
          "gm": "SV", "archivist": "SV", "admin": None, "auditor": None}
COVERED = {"archive.handover_list", "archive.handover_export", "archive.handover_new",
           "archive.handover_detail", "archive.handover_print",
           "archive.handover_lines_export", "archive.handover_accept",
           "archive.handover_reject", "archive.handover_monthly",
           "archive.handover_monthly_run", "archive.handover_run_resume"}


def _expect(persona, allowed: set, seen: set, yes=200) -> int:
    """`yes` for who may, 403 for who sees the target but may not, 404 for who does not."""
    if persona in allowed:
        return yes
    return 403 if persona in seen else 404


@pytest.fixture
@snapshots.reused(folders=("ARCHIVE_ROOT",))
def world(app):
    world = build_world(app)
    users = world.users
    world.sales = stored_list(app, DeptCode.SALES, users["sales1"], LEVELS)
    world.service = stored_list(app, DeptCode.SERVICE, users["cs1"], {"I": Level.INTERNAL})
    with app.app_context():
        run = ArchiveFilingRun(period_start=world.sales.submitted_at.date().replace(day=1),
                               status=FilingRunStatus.DONE)
        db.session.add(run)
        db.session.commit()
        world.run_id = run.id
    return world


def _seen(text: str, handover_id: int) -> str:
    return "".join(k for k in LEVELS if f"矩阵{k}级{handover_id}" in text)


def _listed(response, world) -> str | None:
    if response.status_code != 200:
        return None
    text = (str(sheet(response)) if response.mimetype.endswith("spreadsheetml.sheet")
            else response.get_data(as_text=True))
    return "".join(key for key, h in (("S", world.sales), ("V", world.service))
                   if h.number in text)


def _reads(client, url: str) -> tuple[int, str | None]:
    response = client.get(url)
    if response.status_code != 200:
        return response.status_code, None
    if response.mimetype == "application/pdf":
        return 200, _seen(pdf_text(response.data), int(url.split("/")[3]))
    if response.mimetype.endswith("spreadsheetml.sheet"):
        return 200, _seen(str(sheet(response)), int(url.split("/")[3]))
    return 200, _seen(response.get_data(as_text=True), int(url.split("/")[3]))


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_handover_routes_follow_the_matrix(app, client, world, persona):
    """Each persona gets exactly the expected answer on every handover route."""
    client.login(persona)
    sales = f"/archive/handovers/{world.sales.id}"
    first_line = str(lines_of(app, world.sales.id)[0].id)
    readers = SALES_PEOPLE | READ_ALL
    observed = {
        "list": _listed(client.get("/archive/handovers/"), world),
        "export": _listed(client.get("/archive/handovers/export.xlsx"), world),
        "new": client.get("/archive/handovers/new").status_code,
        "detail": _reads(client, sales),
        "fragment": client.htmx("GET", sales).status_code,
        "print": _reads(client, f"{sales}/print.pdf"),
        "lines_export": _reads(client, f"{sales}/export.xlsx"),
        "service_detail": client.get(f"/archive/handovers/{world.service.id}").status_code,
        "monthly": client.get("/archive/handovers/monthly").status_code,
        "run": client.get(f"/archive/handovers/monthly/{world.run_id}").status_code,
        "reject": client.post_form(f"{sales}/reject", {"item_ids": first_line,
                                                       "reason": "矩阵"}).status_code,
        "accept": client.post_form(f"{sales}/accept", {"item_ids": first_line}).status_code,
        "monthly_post": client.post_form("/archive/handovers/monthly",
                                         {"month": "2026-01"}).status_code,
        "resume": client.post_form(f"/archive/handovers/runs/{world.run_id}/resume",
                                   {}).status_code,
    }
    reading = (200, SEES[persona]) if persona in readers else (404, None)
    expected = {
        "list": LISTED[persona], "export": LISTED[persona],
        "new": 200 if persona in HANDING else 403,
        "detail": reading, "fragment": reading[0], "print": reading,
        "lines_export": reading,
        "service_detail": 200 if persona in READ_ALL | {"cs1", "cs_mgr"} else 404,
        "monthly": 200 if persona in READ_ALL else 403,
        "run": 200 if persona in READ_ALL else 404,
        "reject": _expect(persona, {"archivist"}, readers, 303),
        "accept": _expect(persona, {"archivist"}, readers, 303),
        "monthly_post": 303 if persona == "archivist" else 403,
        "resume": _expect(persona, {"archivist"}, READ_ALL, 303),
    }
    assert observed == expected


def test_the_archivist_cannot_decide_a_line_above_their_clearance(app, client, world):
    """The 机密 line is not the 秘密 archivist's to accept or reject: posted anyway, it stays
    waiting; the P line posted with it is decided."""
    lines = {x.title[2]: x for x in lines_of(app, world.sales.id)}
    client.login("archivist")
    client.post_form(f"/archive/handovers/{world.sales.id}/reject", {
        "item_ids": [str(lines["C"].id), str(lines["P"].id)], "reason": "越级"})
    statuses = {x.title[2]: x.status for x in lines_of(app, world.sales.id)}
    assert statuses["C"] == HandoverLineStatus.PENDING
    assert statuses["P"] == HandoverLineStatus.REJECTED
