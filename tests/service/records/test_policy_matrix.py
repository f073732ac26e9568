"""Policy matrix: persona x service record route x confidentiality level -> status.

Rules checked (issue 12 req. 6): 客服 staff see the records they handle (cs1 handles every
record here), the 客服 manager all of 客服部's, the GM all (read only); the 首问责任人 of
another department (risk1 registered every record) keeps read access; the customer's owner in
sales reads its service history (sales1 owns P and I, sales_top S and C); others, admin and
auditor nothing; a record above the user's clearance is 404 on every route. Changing a record
is for 客服 people working on it, assigning for the 客服 manager.
"""

import pytest

from app.extensions import db
from app.models.service.records import ServiceRecord
from tests.factories import snapshots
from tests.factories.people import make_people
from tests.factories.service import make_service_record
from tests.factories.world import PERSONAS, RECORDS, build_world
from tests.support import sheet

LEVELS = list(RECORDS)  # P, I, S, C
NONE = (404, 404, 404, 404)
VIEW = {
    "sales1": (200, 200, 404, 404), "sales2": NONE, "sales_top": (404, 404, 200, 200),
    "sales_mgr": NONE, "cs1": (200, 200, 404, 404), "cs_mgr": (200, 200, 200, 404),
    "risk1": (200, 200, 404, 404), "gm": (200, 200, 200, 200),
    "archivist": NONE, "admin": NONE, "auditor": NONE,
}
WORKERS = {"cs1", "cs_mgr"}


def _forbidden(statuses: tuple) -> tuple:
    """Seen but not to be changed: 403 where the record is visible."""
    return tuple(403 if s == 200 else s for s in statuses)


def _posted(statuses: tuple) -> tuple:
    """A POST that is allowed answers 303 (back to the record)."""
    return tuple(303 if s == 200 else s for s in statuses)


EDIT = {p: VIEW[p] if p in WORKERS else _forbidden(VIEW[p]) for p in PERSONAS}
ASSIGN = {p: _posted(VIEW[p]) if p == "cs_mgr" else _forbidden(VIEW[p]) for p in PERSONAS}
LISTED = {"sales1": "PI", "sales2": "", "sales_top": "SC", "sales_mgr": "", "cs1": "PI",
          "cs_mgr": "PIS", "risk1": "PI", "gm": "PISC", "archivist": ""}
CAN_CREATE = {"sales1", "sales2", "sales_top", "sales_mgr", "cs1", "cs_mgr", "risk1",
              "archivist"}
COVERED = {"service.record_list", "service.record_export", "service.record_new",
           "service.record_detail", "service.record_edit", "service.record_status",
           "service.record_confirmation", "service.record_transfer", "service.record_assign",
           "service.record_arrival", "service.record_submit"}


@pytest.fixture
@snapshots.reused
def world(app):
    world = build_world(app)
    world.cs2 = make_people(app, "cs2")["cs2"]
    world.records = {key: make_service_record(app, world.users["risk1"], world.customers[key],
                                              handler_id=world.users["cs1"].id,
                                              content=f"矩阵{key}级服务")
                     for key in LEVELS}
    return world


def _listed(response, world) -> str | None:
    if response.status_code != 200:
        return None
    if response.mimetype.endswith("spreadsheetml.sheet"):
        text = str(sheet(response))
    else:
        text = response.get_data(as_text=True)
    return "".join(k for k in LEVELS if world.records[k].number in text)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_service_record_routes_follow_the_matrix(app, client, world, persona):
    """Each persona gets exactly the expected answer on every record route and level."""
    client.login(persona)
    urls = {k: f"/service/records/{world.records[k].id}" for k in LEVELS}

    def each(path: str, data=None) -> tuple:
        if data is None:
            return tuple(client.get(urls[k] + path).status_code for k in LEVELS)
        return tuple(client.post_form(urls[k] + path, data).status_code for k in LEVELS)

    observed = {
        "detail": each(""),
        "fragment": tuple(client.htmx("GET", urls[k]).status_code for k in LEVELS),
        "edit": each("/edit"),
        "status": each("/status", {"to": "processing"}),
        "confirmation": each("/confirmation", {"satisfaction": "5", "method": "phone",
                                               "confirmed_by": "王经理"}),
        "assign": each("/assign", {"handler_id": str(world.users["cs1"].id)}),
        "arrival": each("/arrival", {"arrived_at": ""}),
        "submit": each("/submit", {}),
        "list": _listed(client.get("/service/records/"), world),
        "export": _listed(client.get("/service/records/export.xlsx"), world),
        "new": client.get("/service/records/new").status_code,
        # Last: after it cs1 no longer handles the records.
        "transfer": each("/transfer", {"handler_id": str(world.cs2.id), "reason": "轮岗"}),
    }
    expected = {
        "detail": VIEW[persona], "fragment": VIEW[persona], "edit": EDIT[persona],
        "status": _posted(EDIT[persona]), "confirmation": _posted(EDIT[persona]),
        "transfer": _posted(EDIT[persona]), "assign": ASSIGN[persona],
        "arrival": _posted(EDIT[persona]), "submit": _posted(EDIT[persona]),
        "list": LISTED.get(persona), "export": LISTED.get(persona),
        "new": 200 if persona in CAN_CREATE else 403,
    }
    assert observed == expected


def test_the_matrix_changed_what_it_was_allowed_to(app, client, world):
    """The allowed posts really acted (so a 303 is not a silent refusal): cs_mgr's status
    step, transfer and assignment on the S record."""
    client.login("cs_mgr")
    url = f"/service/records/{world.records['S'].id}"
    client.post_form(f"{url}/status", {"to": "processing"})
    client.post_form(f"{url}/transfer", {"handler_id": str(world.cs2.id), "reason": "轮岗"})
    with app.app_context():
        record = db.session.get(ServiceRecord, world.records["S"].id)
        assert (record.status.value, record.handler_id) == ("processing", world.cs2.id)
