"""Policy matrix for approval requests: persona x request route x level.

Requests are seen by their submitter, the approvers they wait for, whoever may see the record
in full, and the GM; signing is only for the current step's approvers; a request above the
user's clearance is 404 like its record.
"""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest, User
from app.services.approvals import engine as approvals
from tests.factories.world import PERSONAS, build_world

COVERED = {"approvals.request_detail", "approvals.request_sheet", "approvals.request_approve",
           "approvals.request_reject", "approvals.request_withdraw", "approvals.request_card",
           "approvals.request_batch_approve"}
REQUESTS = ("P", "S", "C")  # customer P by sales1; S and C by sales_top
DETAIL = {
    "sales1": (200, 404, 404), "sales2": (403, 404, 404), "sales_top": (403, 200, 200),
    "sales_mgr": (200, 200, 404), "cs1": (403, 404, 404), "cs_mgr": (403, 403, 404),
    "risk1": (403, 404, 404), "gm": (200, 200, 200), "archivist": (403, 403, 404),
    "admin": (404, 404, 404), "auditor": (404, 404, 404),
}
# Signing with a wrong password: an approver gets the form back (303 + message); others never
# reach the password check. C is escalated to the GM (no sales manager is cleared for it).
SIGN = {**{p: tuple(403 if s in (200, 403) else 404 for s in DETAIL[p]) for p in PERSONAS},
        "sales_mgr": (303, 303, 404), "gm": (403, 403, 303)}
# Expanding an inbox row shows the content to sign: for whom the step waits.
CARD = {**{p: tuple(403 if s in (200, 403) else 404 for s in DETAIL[p]) for p in PERSONAS},
        "sales_mgr": (200, 200, 404), "gm": (403, 403, 200)}
# Batch signing answers every business user with the inbox (each item refused or signed by
# the rules above); the auditor has no inbox.
BATCH = {p: 403 if p == "auditor" else 303 for p in PERSONAS}
WITHDRAW = {**{p: tuple(403 if s in (200, 403) else 404 for s in DETAIL[p]) for p in PERSONAS},
            "sales1": (303, 404, 404), "sales_top": (403, 303, 303)}


@pytest.fixture
def requests(app):
    world = build_world(app)
    ids = {}
    with app.app_context():
        for key in REQUESTS:
            customer = db.session.get(type(world.customers[key]), world.customers[key].id)
            submitter = db.session.get(User, customer.owner_id)
            ids[key] = approvals.submit("customer.review", customer, submitter).id
        db.session.commit()
    return ids


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_request_routes_follow_the_matrix(client, requests, persona):
    client.login(persona)
    observed = {
        "detail": tuple(client.get(f"/approvals/{requests[k]}").status_code for k in REQUESTS),
        "sheet": tuple(client.get(f"/approvals/{requests[k]}/sheet.pdf").status_code
                       for k in REQUESTS),
        "approve": tuple(client.post_form(f"/approvals/{requests[k]}/approve",
                                          {"password": "wrong-password-0"}).status_code
                         for k in REQUESTS),
        "reject": tuple(client.post_form(f"/approvals/{requests[k]}/reject",
                                         {"password": "wrong-password-0",
                                          "comment": "x"}).status_code for k in REQUESTS),
        "card": tuple(client.htmx("GET", f"/approvals/{requests[k]}/card").status_code
                      for k in REQUESTS),
        "batch": client.post_form("/approvals/batch/approve", {
            "password": "wrong-password-0",
            "request_id": [str(requests[k]) for k in REQUESTS]}).status_code,
        "withdraw": tuple(client.post_form(f"/approvals/{requests[k]}/withdraw",
                                           {}).status_code for k in REQUESTS),
    }
    expected = {"detail": DETAIL[persona], "sheet": DETAIL[persona], "approve": SIGN[persona],
                "reject": SIGN[persona], "card": CARD[persona], "batch": BATCH[persona],
                "withdraw": WITHDRAW[persona]}
    assert observed == expected


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_the_inbox_lists_only_what_waits_for_the_persona(client, app, requests, persona):
    client.login(persona)
    response = client.get("/approvals/")
    if persona == "auditor":
        assert response.status_code == 403
        return
    html = response.get_data(as_text=True)
    listed = "".join(k for k in REQUESTS if f'id="request-{requests[k]}"' in html)
    assert listed == {"sales_mgr": "PS", "gm": "C"}.get(persona, "")  # admin: grants only


def test_the_inbox_query_is_scoped_in_sql(app, requests):
    """The inbox count comes from policy.scope, never from loading and filtering."""
    from app import policy
    from app.policy import Action

    with app.app_context():
        manager = db.session.scalar(select(User).where(User.username == "sales_mgr"))
        query = policy.scope(select(ApprovalRequest), manager, ApprovalRequest, Action.APPROVE)
        assert {r.id for r in db.session.scalars(query)} == {requests["P"], requests["S"]}
