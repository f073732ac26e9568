"""Policy matrix of the fault reports: persona x route x confidentiality -> status.

Rules: 客服 staff and managers report faults and read the department's reports up to their
clearance; the reporter (cs1) or the 客服 manager completes an open report; the customer's owner
in sales (sales1 for P and I, sales_top for S and C) and the sales manager (their department's
customers, up to clearance) read them; the GM reads all; everyone else gets 403 for the pages and
404 for a report. A report above the reader's clearance is 404 on every route.
"""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Customer, Level
from app.models.service.roster import FaultReport
from tests.factories import snapshots
from tests.factories.world import PERSONAS, RECORDS, build_world
from tests.service.faults.conftest import make_fault

COVERED = {"service.fault_list", "service.fault_export", "service.fault_new",
           "service.fault_detail", "service.fault_complete", "service.fault_print"}
LEVELS = list(RECORDS)  # P, I, S, C
NONE = (404,) * 4
VIEW = {
    **{p: NONE for p in PERSONAS},
    "sales1": (200, 200, 404, 404), "sales_top": (404, 404, 200, 200),
    "sales_mgr": (200, 200, 200, 404), "cs1": (200, 200, 404, 404),
    "cs_mgr": (200, 200, 200, 404), "gm": (200,) * 4,
}
# The reporter is cs_mgr for S (cs1 cannot see it) and cs1 for the rest.
COMPLETE = {**VIEW, "sales1": (403, 403, 404, 404), "sales_top": (404, 404, 403, 403),
            "sales_mgr": (403, 403, 403, 404), "gm": (403,) * 4}
AREA = {"cs1", "cs_mgr", "gm", "sales1", "sales2", "sales_top", "sales_mgr"}
LISTED = {"sales1": "PI", "sales_top": "SC", "sales_mgr": "PIS", "cs1": "PI", "cs_mgr": "PIS",
          "gm": "PISC"}


@pytest.fixture
@snapshots.reused
def world(app):
    world = build_world(app)
    # Nobody in 客服部 is cleared for 机密: C is reported by the manager about S, then raised.
    reporters = {"P": "cs1", "I": "cs1", "S": "cs_mgr", "C": "cs_mgr"}
    world.faults = {key: make_fault(app, world.users[reporters[key]],
                                    world.customers["S" if key == "C" else key],
                                    place=f"故障{key}地点") for key in LEVELS}
    _raise_to_confidential(app, world.faults["C"].id)
    return world


def _raise_to_confidential(app, report_id):
    """Makes the C report about the confidential customer (no 客服 person could report it)."""
    with app.app_context():
        report = db.session.get(FaultReport, report_id)
        customer = db.session.scalar(select(Customer).where(
            Customer.confidentiality == Level.CONFIDENTIAL))
        report.customer_id, report.confidentiality = customer.id, Level.CONFIDENTIAL
        db.session.commit()


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_fault_routes_follow_the_matrix(client, world, persona):
    client.login(persona)
    ids = [world.faults[k].id for k in LEVELS]
    html = client.get("/service/faults/").get_data(as_text=True)
    observed = {
        "list": client.get("/service/faults/").status_code,
        "listed": "".join(k for k in LEVELS if f"故障{k}地点" in html),
        "export": client.get("/service/faults/export.xlsx").status_code,
        "new": client.get("/service/faults/new").status_code,
        "detail": tuple(client.get(f"/service/faults/{i}").status_code for i in ids),
        "print": tuple(client.get(f"/service/faults/{i}/print.pdf").status_code for i in ids),
        "complete": tuple(client.get(f"/service/faults/{i}/complete").status_code for i in ids),
    }
    reads = 200 if persona in AREA else 403
    assert observed == {
        "list": reads, "listed": LISTED.get(persona, ""), "export": reads,
        "new": 200 if persona in ("cs1", "cs_mgr") else 403,
        "detail": VIEW[persona], "print": VIEW[persona], "complete": COMPLETE[persona]}
