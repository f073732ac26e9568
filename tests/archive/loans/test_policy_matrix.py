"""Policy matrix: persona x loan route x loan -> status.

Rules checked (issue 13 req. 6 and 11): staff and managers ask for loans; the borrower sees
their loans, a manager those of their department's items and of their department's people,
the GM and the archivist every loan; a loan above the user's clearance is 404 on every route;
only the borrower renews and reads (an open online loan), only the archivist hands out and
takes back (a paper loan); administrators and auditors have no loans at all.

The loans: O, sales1's open online loan of a 内部 sales item; P, cs1's pending online loan of
the same item (another department's: the GM decides); S, sales_top's approved paper loan of a
秘密 sales item."""

import pytest

from app.models import DeptCode, Level
from tests.factories import snapshots
from tests.factories.archive import approve_loan, catalogue_item, request_loan
from tests.factories.world import PERSONAS, build_world
from tests.support import sheet

LOANS = ("O", "P", "S")
NONE = (404, 404, 404)
VIEW = {
    "sales1": (200, 404, 404), "sales2": NONE, "sales_top": (404, 404, 200),
    "sales_mgr": (200, 200, 200), "cs1": (404, 200, 404), "cs_mgr": (404, 200, 404),
    "risk1": NONE, "gm": (200, 200, 200), "archivist": (200, 200, 200), "admin": NONE,
    "auditor": NONE,
}
LISTED = {"sales1": "O", "sales2": "", "sales_top": "S", "sales_mgr": "OPS", "cs1": "P",
          "cs_mgr": "P", "risk1": "", "gm": "OPS", "archivist": "OPS"}
BORROWERS = {"sales1", "sales2", "sales_top", "sales_mgr", "cs1", "cs_mgr", "risk1"}
COVERED = {"archive.loan_list", "archive.loan_export", "archive.loan_new", "archive.loan_detail",
           "archive.loan_hand_out", "archive.loan_return", "archive.loan_renew",
           "archive.loan_view", "archive.loan_copy"}


def _only(persona: str, loan: str, allowed: set[str], yes: int) -> int:
    """`yes` for the allowed personas, 403 for others who see the loan, else its 404."""
    seen = VIEW[persona][LOANS.index(loan)]
    if seen != 200:
        return seen
    return yes if persona in allowed else 403


@pytest.fixture
@snapshots.reused(folders=("ARCHIVE_ROOT",))
def world(app):
    world = build_world(app)
    users = world.users
    internal = catalogue_item(app, users["archivist"], dept=DeptCode.SALES)
    secret = catalogue_item(app, users["archivist"], dept=DeptCode.SALES, level=Level.SECRET)
    world.items = {"O": internal, "P": internal, "S": secret}
    world.loans = {
        "O": approve_loan(app, request_loan(app, users["sales1"], [internal]),
                          users["sales_mgr"]),
        "P": request_loan(app, users["cs1"], [internal]),
        "S": approve_loan(app, request_loan(app, users["sales_top"], [secret], method="paper"),
                          users["sales_mgr"]),
    }
    return world


def _listed(response, world) -> str | None:
    if response.status_code != 200:
        return None
    if response.mimetype.endswith("spreadsheetml.sheet"):
        numbers = {row[0] for row in sheet(response)}
        return "".join(k for k in LOANS if f"#{world.loans[k].id}" in numbers)
    text = response.get_data(as_text=True)
    return "".join(k for k in LOANS if f'id="loan-{world.loans[k].id}"' in text)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_loan_routes_follow_the_matrix(app, client, world, persona):
    """Each persona gets exactly the expected answer on every loan route."""
    client.login(persona)
    loans, items = world.loans, world.items
    base = {k: f"/archive/loans/{loans[k].id}" for k in LOANS}
    reading = f"{base['O']}/items/{items['O'].id}"
    observed = {
        "detail": tuple(client.get(base[k]).status_code for k in LOANS),
        "view": client.get(f"{reading}/view").status_code,
        "copy": client.get(f"{reading}/copy.pdf").status_code,
        "renew": client.post_form(f"{base['O']}/renew", {"days": "3"}).status_code,
        "hand_out": client.post_form(f"{base['S']}/hand-out", {}).status_code,
        "return": client.post_form(f"{base['S']}/return", {"condition": "complete"}).status_code,
        "new": client.get("/archive/loans/new").status_code,
        "list": _listed(client.get("/archive/loans/"), world),
        "export": _listed(client.get("/archive/loans/export.xlsx"), world),
    }
    expected = {
        "detail": VIEW[persona],
        "view": _only(persona, "O", {"sales1"}, 200),
        "copy": _only(persona, "O", {"sales1"}, 200),
        "renew": _only(persona, "O", {"sales1"}, 303),
        "hand_out": _only(persona, "S", {"archivist"}, 303),
        "return": _only(persona, "S", {"archivist"}, 303),
        "new": 200 if persona in BORROWERS else 403,
        "list": LISTED.get(persona),
        "export": LISTED.get(persona),
    }
    assert observed == expected


def test_the_matrix_changed_what_it_was_allowed_to(app, client, world):
    """The allowed posts really acted (a 303 is not a silent refusal): sales1's renewal and
    the archivist's hand-out and return."""
    client.login("sales1")
    client.post_form(f"/archive/loans/{world.loans['O'].id}/renew", {"days": "3"})
    client.login("archivist")
    url = f"/archive/loans/{world.loans['S'].id}"
    client.post_form(f"{url}/hand-out", {})
    lent = client.get(url).get_data(as_text=True)
    client.post_form(f"{url}/return", {"condition": "complete"})
    returned = client.get(url).get_data(as_text=True)
    client.login("sales1")
    renewed = client.get(f"/archive/loans/{world.loans['O'].id}").get_data(as_text=True)
    assert 'data-status="lent"' in lent and 'data-status="returned"' in returned
    assert "续借 3 天" in renewed
