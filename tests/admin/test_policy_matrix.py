"""Policy matrix for account grants: persona x grant page and grant request route.

The administrators list grants; a grant's page is read by the administrators and the GM (who
approves it); its approval request is seen by them only, signed only by the approver it waits
for (here the GM: a wrong password gets the form back, 303), withdrawn only by its requester.
For everyone else neither exists (404).
"""

import pytest

from app.models import Role
from tests.factories.grants import edit_as, grant_request_id
from tests.factories.world import PERSONAS, build_world

COVERED = {"admin.grant_list", "admin.grant_detail"}


def _only(yes: dict, no: int) -> dict:
    return {p: yes.get(p, no) for p in PERSONAS}


LIST = _only({"admin": 200}, 403)
DETAIL = _only({"admin": 200, "gm": 200}, 404)
REQUEST = _only({"admin": 200, "gm": 200}, 404)
SIGN = _only({"admin": 403, "gm": 303}, 404)  # admin asked for it: never theirs to sign
WITHDRAW = _only({"admin": 303, "gm": 403}, 404)


@pytest.fixture
def grant(app):
    """The administrator asks the manager role for sales2; the GM is to approve it."""
    world = build_world(app)
    grant_id = edit_as(app, world.users["admin"], world.users["sales2"], role=Role.MANAGER)
    return grant_id, grant_request_id(app, world.users["sales2"])


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_grant_routes_follow_the_matrix(client, grant, persona):
    grant_id, request_id = grant
    client.login(persona)
    observed = {
        "list": client.get("/admin/grants/").status_code,
        "detail": client.get(f"/admin/grants/{grant_id}").status_code,
        "request": client.get(f"/approvals/{request_id}").status_code,
        "sign": client.post_form(f"/approvals/{request_id}/approve",
                                 {"password": "wrong-password-0"}).status_code,
        "withdraw": client.post_form(f"/approvals/{request_id}/withdraw", {}).status_code,
    }
    assert observed == {"list": LIST[persona], "detail": DETAIL[persona],
                        "request": REQUEST[persona], "sign": SIGN[persona],
                        "withdraw": WITHDRAW[persona]}


def test_the_grant_shows_in_the_approvers_inbox_only(client, grant):
    _, request_id = grant
    for persona in PERSONAS:
        client.login(persona)
        response = client.get("/approvals/")
        listed = f'id="request-{request_id}"' in response.get_data(as_text=True)
        assert listed is (persona == "gm"), persona
