"""Policy matrix of the full-phone export (外呼名单, PhoneExportRules): whoever may reveal
personal data (staff, managers, the GM) asks; a request is seen by its requester, their
department's manager and the GM, anyone else is told nothing (404); only the requester takes
the file."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import PhoneExport
from tests.factories.world import PERSONAS, build_world

REVEALERS = {"sales1", "sales2", "sales_top", "sales_mgr", "cs1", "cs_mgr", "risk1", "gm"}
SEES_REQUEST = {"sales1", "sales_mgr", "gm"}


def only(allowed: set, yes: int = 200, no: int = 403, other: dict | None = None) -> dict:
    return {p: (yes if p in allowed else no) for p in PERSONAS} | (other or {})


EXPECTED = {
    "customers.phone_export": only(REVEALERS),
    "customers.phone_export_detail": only(SEES_REQUEST, no=404),
    "customers.phone_export_file": only({"sales1"}, no=404,
                                        other={"sales_mgr": 403, "gm": 403}),
}
COVERED = set(EXPECTED)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_phone_export_routes_follow_the_matrix(client, app, persona):
    build_world(app)
    client.login("sales1")
    client.post_form("/customers/phone-export", {"reason": "回访"},
                     token_from="/customers/phone-export")
    with app.app_context():
        export_id = db.session.scalar(select(PhoneExport.id))
    client.login(persona)
    observed = {
        "customers.phone_export": client.get("/customers/phone-export").status_code,
        "customers.phone_export_detail":
            client.get(f"/customers/phone-exports/{export_id}").status_code,
        "customers.phone_export_file":
            client.get(f"/customers/phone-exports/{export_id}/file.xlsx").status_code,
    }
    assert observed == {endpoint: statuses[persona] for endpoint, statuses in EXPECTED.items()}
