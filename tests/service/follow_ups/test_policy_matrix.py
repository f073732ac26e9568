"""Policy matrix: persona x follow-up route x confidentiality level -> what the server answers.

Rules checked (issue 12 req. 2, DESIGN "Policy"): a follow-up follows its record. Adding one
takes the record's 负责人 or a collaborator, or the 客服 manager of its department (303); who
reads the record but does not follow it up (the GM, the customer's salesperson) gets 403;
everyone else, and anyone below the record's level, 404. The overdue list and its export are
客服 people's and the GM's; the cadence page is read by them and saved by the 客服 manager
(and the administrator, as issue 12 asks) only.
"""

import pytest

from app.extensions import db
from app.models.service.records import ServiceStatus, service_collaborators
from tests.factories import snapshots
from tests.factories.people import make_people
from tests.factories.service import make_service_record
from tests.factories.world import PERSONAS, RECORDS, build_world
from tests.service.follow_ups.conftest import minutes_ago
from tests.support import in_app

LEVELS = list(RECORDS)  # P, I, S, C
NONE = (404, 404, 404, 404)
ADD = {
    "sales1": (403, 403, 404, 404),  # the customers' salesperson reads their service records
    "sales2": NONE,
    "sales_top": (404, 404, 403, 403),
    "sales_mgr": NONE,
    "cs1": (303, 303, 404, 404),  # the 负责人, cleared up to 内部
    "cs_mgr": (303, 303, 303, 404),  # the department's manager, cleared up to 秘密
    "risk1": NONE,
    "gm": (403, 403, 403, 403),
    "archivist": NONE, "admin": NONE, "auditor": NONE,
}
SERVICE_PEOPLE = {"cs1", "cs_mgr", "gm"}
COVERED = {"service.follow_up_create", "service.follow_up_overdue",
           "service.follow_up_overdue_export", "service.follow_up_cadence"}


@pytest.fixture
@snapshots.reused
def world(app):
    world = build_world(app)
    handler = world.users["cs1"]
    world.records = {key: make_service_record(app, handler, world.customers[key],
                                              handler_id=handler.id,
                                              status=ServiceStatus.PROCESSING)
                     for key in LEVELS}
    return world


def _form(app) -> dict:
    with in_app(app):
        said = minutes_ago(5).strftime("%Y-%m-%dT%H:%M")
    return {"communicated_at": said, "points": "矩阵跟进", "result": "unresolved"}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_follow_up_routes_follow_the_matrix(app, client, world, persona):
    """Each persona gets exactly the expected answer on every follow-up route and level."""
    client.login(persona)
    form = _form(app)
    observed = {
        "add": tuple(client.post_form(f"/service/records/{world.records[k].id}/follow-ups",
                                      form).status_code for k in LEVELS),
        "overdue": client.get("/service/follow-ups/").status_code,
        "export": client.get("/service/follow-ups/export.xlsx").status_code,
        "cadence": client.get("/service/follow-ups/cadence").status_code,
        "cadence_save": client.post_form("/service/follow-ups/cadence", {
            "A": "7", "B": "14", "C": "30", "high": "7"}).status_code,
    }
    listed = 200 if persona in SERVICE_PEOPLE else 403
    expected = {"add": ADD[persona], "overdue": listed, "export": listed,
                "cadence": 200 if persona in SERVICE_PEOPLE | {"admin"} else 403,
                "cadence_save": 303 if persona in ("cs_mgr", "admin") else 403}
    assert observed == expected


def test_a_collaborator_may_add_and_a_mere_registrar_may_not(app, client, world):
    """Collaborators follow the record up; the 客服 colleague who only registered it (首问)
    has handed it over and may read it but not add follow-ups (403)."""
    cs2 = make_people(app, "cs2")["cs2"]
    registered = make_service_record(app, cs2, world.customers["P"],
                                     handler_id=world.users["cs1"].id)
    helped = world.records["I"]
    with in_app(app):
        db.session.execute(service_collaborators.insert().values(record_id=helped.id,
                                                                 user_id=cs2.id))
        db.session.commit()
    client.login("cs2")
    form = _form(app)
    assert client.post_form(f"/service/records/{helped.id}/follow-ups", form).status_code == 303
    assert client.post_form(f"/service/records/{registered.id}/follow-ups",
                            form).status_code == 403
