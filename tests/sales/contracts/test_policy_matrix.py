"""Policy matrix: persona x contract route x confidentiality level -> what the server answers.

Rules checked (DESIGN.md "Policy", issue 4 req. 12): sales staff see the contracts of their own
customers, the sales manager the department's, the GM all (read and print only); other
departments, the archivist, admin and auditor none; a contract above the user's clearance is 404
on every route (page, htmx fragment, version, PDFs, list and export).
"""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalAssignment, ApprovalRequest, Contract, Decision, RequestStatus, User
from app.models.sales.contracts import ChangeBasis, ChangeInitiator
from app.services.approvals import engine as approvals
from app.services.sales.contracts.changes import ChangeInfo, propose_change
from app.services.sales.contracts.data import data_of
from app.services.sales.contracts.review import submit_review
from tests.factories import snapshots
from tests.factories.sales import make_contract
from tests.factories.world import PERSONAS, RECORDS, build_world
from tests.support import PASSWORD

LEVELS = list(RECORDS)  # P, I, S, C
NONE = (404, 404, 404, 404)
VIEW = {
    "sales1": (200, 200, 404, 404),
    "sales2": NONE,
    "sales_top": (404, 404, 200, 200),
    "sales_mgr": (200, 200, 200, 404),
    "cs1": NONE, "cs_mgr": NONE, "risk1": NONE,
    "gm": (200, 200, 200, 200),
    "archivist": NONE, "admin": NONE, "auditor": NONE,
}
EDIT = {**VIEW, "gm": (403, 403, 403, 403)}
LISTED = {"sales1": "PI", "sales2": "", "sales_top": "SC", "sales_mgr": "PIS", "gm": "PISC"}
CAN_CREATE = {"sales1", "sales2", "sales_top", "sales_mgr"}
COVERED = {"sales.contract_list", "sales.contract_export", "sales.contract_new",
           "sales.contract_detail", "sales.contract_edit", "sales.contract_submit",
           "sales.contract_version", "sales.contract_review_pdf", "sales.contract_change_new",
           "sales.contract_change_request_pdf", "sales.contract_change_notice_pdf",
           "sales.contract_pick"}


def _sign_through(request: ApprovalRequest) -> None:
    """Signs every step as whoever it waits for (the manager, or the GM above their level)."""
    while request.status == RequestStatus.PENDING:
        waiting = db.session.scalars(select(ApprovalAssignment.user_id).where(
            ApprovalAssignment.request_id == request.id, ApprovalAssignment.done.is_(False),
            ApprovalAssignment.step == request.current_step)).first()
        approvals.sign(request, db.session.get(User, waiting), Decision.APPROVE, "同意", PASSWORD)
        db.session.commit()


def _active_with_change(app, contract_id: int, owner_id: int) -> int:
    """Approves the contract, then a change of it; returns the change's id."""
    with app.app_context():
        contract, owner = db.session.get(Contract, contract_id), db.session.get(User, owner_id)
        _sign_through(submit_review(contract, owner))
        proposed = data_of(contract)
        proposed.delivery_place = "上海市浦东新区"
        info = ChangeInfo("交货地点改为上海", ChangeInitiator.CUSTOMER, [ChangeBasis.FAX])
        change = propose_change(contract, proposed, info, owner)
        db.session.commit()
        _sign_through(db.session.scalars(select(ApprovalRequest).where(
            ApprovalRequest.record_type == "ContractChange")
            .order_by(ApprovalRequest.id.desc())).first())
        return change.id


@pytest.fixture
@snapshots.reused
def world(app):
    world = build_world(app)
    world.drafts, world.active, world.changes = {}, {}, {}
    for key, (owner, level) in RECORDS.items():
        user, customer = world.users[owner], world.customers[key]
        world.drafts[key] = make_contract(app, customer, by=user, level=level,
                                          name=f"矩阵{key}级草稿合同")
        world.active[key] = make_contract(app, customer, by=user, level=level,
                                          name=f"矩阵{key}级生效合同")
        world.changes[key] = _active_with_change(app, world.active[key].id, user.id)
    return world


def _listed(response, world) -> str | None:
    if response.status_code != 200:
        return None
    if response.mimetype.endswith("spreadsheetml.sheet"):
        text = str(list(load_workbook(io.BytesIO(response.data)).active.values))
    else:
        text = response.get_data(as_text=True)
    shown = "".join(k for k in LEVELS if world.drafts[k].number in text)
    assert shown == "".join(k for k in LEVELS if world.active[k].number in text)
    return shown


def _statuses(client, urls) -> tuple:
    return tuple(client.get(url).status_code for url in urls)


def _redirected(statuses: tuple) -> tuple:
    """Allowed, but refused for the contract's state: back to its page (303)."""
    return tuple(303 if s == 200 else s for s in statuses)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_contract_routes_follow_the_matrix(client, world, persona):
    """Each persona gets exactly the expected answer on every contract route and level."""
    client.login(persona)
    draft = {k: f"/sales/contracts/{world.drafts[k].id}" for k in LEVELS}
    active = {k: f"/sales/contracts/{world.active[k].id}" for k in LEVELS}
    change = {k: f"{active[k]}/changes/{world.changes[k]}" for k in LEVELS}
    observed = {
        "detail": _statuses(client, draft.values()),
        "detail_active": _statuses(client, active.values()),
        "fragment": tuple(client.htmx("GET", draft[k]).status_code for k in LEVELS),
        "version": _statuses(client, (f"{active[k]}/versions/1" for k in LEVELS)),
        "version_missing": _statuses(client, (f"{draft[k]}/versions/1" for k in LEVELS)),
        "review_pdf": _statuses(client, (f"{active[k]}/review.pdf" for k in LEVELS)),
        "request_pdf": _statuses(client, (f"{change[k]}/request.pdf" for k in LEVELS)),
        "notice_pdf": _statuses(client, (f"{change[k]}/notice.pdf" for k in LEVELS)),
        "edit": _statuses(client, (f"{draft[k]}/edit" for k in LEVELS)),
        "edit_active": _statuses(client, (f"{active[k]}/edit" for k in LEVELS)),
        "change": _statuses(client, (f"{active[k]}/changes/new" for k in LEVELS)),
        "change_draft": _statuses(client, (f"{draft[k]}/changes/new" for k in LEVELS)),
        "new": client.get("/sales/contracts/new").status_code,
        "list": _listed(client.get("/sales/contracts/"), world),
        "search": _listed(client.get("/sales/contracts/?q=矩阵"), world),
        "pick": _listed(client.htmx("GET", "/sales/contracts/pick?q=矩阵"), world),
        "export": _listed(client.get("/sales/contracts/export.xlsx"), world),
        "submit": tuple(client.post_form(f"{draft[k]}/submit", {}).status_code for k in LEVELS),
    }
    expected = {
        "detail": VIEW[persona], "detail_active": VIEW[persona], "fragment": VIEW[persona],
        "version": VIEW[persona], "version_missing": NONE, "review_pdf": VIEW[persona],
        "request_pdf": VIEW[persona], "notice_pdf": VIEW[persona], "edit": EDIT[persona],
        "edit_active": _redirected(EDIT[persona]), "change": EDIT[persona],
        "change_draft": _redirected(EDIT[persona]),
        "new": 200 if persona in CAN_CREATE else 403,
        "list": LISTED.get(persona), "search": LISTED.get(persona), "pick": LISTED.get(persona),
        "export": LISTED.get(persona), "submit": _redirected(EDIT[persona]),
    }
    assert observed == expected


def test_anonymous_users_are_sent_to_sign_in(client, world):
    """Without a session every contract page redirects to /login."""
    cid = world.active["P"].id
    for url in ("/sales/contracts/", "/sales/contracts/new", f"/sales/contracts/{cid}",
                f"/sales/contracts/{cid}/review.pdf", "/sales/contracts/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
