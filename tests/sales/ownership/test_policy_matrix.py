"""Policy matrix for ownership requests, the departed-owner reassignment and referrals:
persona x route x level.

Ownership requests are seen by the requester, the current owner, the department's manager and
the GM, never about a customer above the viewer's clearance; only salespeople may ask, and only
they are offered the form (a department whose people cannot own customers, and the GM, get 403
for the form as for the post: no form that always refuses). The
reassignment is the sales manager's and the GM's. Referrals follow the data scope of their
referring customer (staff: own; manager: department; GM: all, read-only).
"""

from datetime import date

import pytest

from app.extensions import db
from app.models import Customer, Level, Referral, User
from app.services.sales.ownership import transfers as ownership
from app.services.sales.scope import inherit_scope
from tests.factories import snapshots
from tests.factories.customers import make_customer
from tests.factories.people import deactivate, make_user
from tests.factories.sales import make_visit
from tests.factories.world import PERSONAS, build_world
from tests.support import PASSWORD

COVERED = {
    "sales.ownership_list", "sales.ownership_export", "sales.ownership_new",
    "sales.ownership_detail", "sales.reassign_list", "sales.reassign_alert",
    "sales.reassign_confirm", "sales.reassign_apply", "sales.reassign_export",
    "sales.referral_list",
    "sales.referral_export", "sales.referral_new", "sales.referral_edit",
}
SALES = ("sales1", "sales2", "sales_top", "sales_mgr")
IN_SALES = (*SALES, "gm")  # the sales department and the GM: who has requests to list
LEVELS = ("P", "I", "S", "C")


def statuses(yes, allowed, no=403):
    return {p: (yes if p in allowed else no) for p in PERSONAS}


# The request form of a customer by level (P, S, C): salespeople who may see the card.
NEW_FORM = {
    **{p: (403, 403, 403) for p in PERSONAS},
    "sales1": (200, 404, 404), "sales2": (200, 404, 404), "sales_top": (200, 200, 200),
    "sales_mgr": (200, 200, 404),
}
# Filing a request for customer I (owned by sales1): salespeople only, the owner refused.
NEW_POST = {**statuses(303, ("sales2", "sales_top", "sales_mgr")), "sales1": 409}
# Request pages: R_P (sales2 asks for P), R_S (sales_mgr asks for S), R_C (a confidential
# colleague asks for C: the sales manager, cleared for secret only, does not see it).
DETAIL = {
    **{p: (404, 404, 404) for p in PERSONAS},
    "sales1": (200, 404, 404), "sales2": (200, 404, 404), "sales_top": (404, 200, 200),
    "sales_mgr": (200, 200, 404), "gm": (200, 200, 200),
}
EDIT = {
    **{p: (404,) * 4 for p in PERSONAS},
    "sales1": (200, 200, 404, 404), "sales_top": (404, 404, 200, 200),
    "sales_mgr": (200, 200, 200, 404), "gm": (403,) * 4,
}
LISTED = {"sales1": "PI", "sales2": "", "sales_top": "SC", "sales_mgr": "PIS", "gm": "PISC"}


@pytest.fixture
@snapshots.reused
def world(app):
    world = build_world(app)
    world.users["sales_top2"] = make_user(app, "sales_top2", clearance=Level.CONFIDENTIAL)
    leaver = make_user(app, "leaver")
    make_visit(app, make_customer(app, leaver, name="离职人员的客户"))
    deactivate(app, leaver)
    world.users["leaver"] = leaver
    with app.app_context():
        get = db.session.get
        world.claims = [ownership.request_transfer(
            get(Customer, world.customers[key].id), get(User, world.users[who].id),
            "协调人裁定").id for key, who in (("P", "sales2"), ("S", "sales_mgr"),
                                             ("C", "sales_top2"))]
        world.referrals = {}
        for key in LEVELS:
            referral = Referral(referrer_id=world.customers[key].id, referred_name=f"介绍{key}公司",
                                referred_on=date(2026, 1, 5))
            inherit_scope(referral, get(Customer, world.customers[key].id))
            db.session.add(referral)
            db.session.flush()
            world.referrals[key] = referral.id
        db.session.commit()
    return world


def _ownership(client, world):
    c = world.customers
    return {
        "list": client.get("/sales/ownership/").status_code,
        "export": client.get("/sales/ownership/export.xlsx").status_code,
        "new": tuple(client.get(f"/sales/ownership/new?customer={c[k].id}").status_code
                     for k in ("P", "S", "C")),
        "post": client.post_form(f"/sales/ownership/new?customer={c['I'].id}",
                                 {"reason": "客户指定由本人跟进"}).status_code,
        "detail": tuple(client.get(f"/sales/ownership/{i}").status_code for i in world.claims),
    }


def _reassign(client, world):
    leaver, to = world.users["leaver"].id, world.users["sales2"].id
    return {
        "list": client.get("/sales/reassign/").status_code,
        "alert": client.htmx("GET", "/sales/reassign/alert").status_code,
        "confirm": client.get(f"/sales/reassign/{leaver}?to={to}").status_code,
        "active": client.get(f"/sales/reassign/{world.users['sales1'].id}?to={to}").status_code,
        "apply": client.post_form(f"/sales/reassign/{leaver}",
                                  {"to": to, "password": PASSWORD}).status_code,
    }


def _referrals(client, world):
    html = client.get("/sales/referrals/").get_data(as_text=True)
    return {
        "list": client.get("/sales/referrals/").status_code,
        "listed": "".join(k for k in LEVELS if f"介绍{k}公司" in html),
        "export": client.get("/sales/referrals/export.xlsx").status_code,
        "new": client.get("/sales/referrals/new").status_code,
        "edit": tuple(client.get(f"/sales/referrals/{world.referrals[k]}/edit").status_code
                      for k in LEVELS),
    }


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_ownership_routes_follow_the_matrix(client, world, persona):
    client.login(persona)
    can_view = statuses(200, IN_SALES)
    assert _ownership(client, world) == {
        "list": can_view[persona], "export": can_view[persona], "new": NEW_FORM[persona],
        "post": NEW_POST[persona], "detail": DETAIL[persona]}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_reassign_routes_follow_the_matrix(client, world, persona):
    client.login(persona)
    deciders = ("sales_mgr", "gm")
    assert _reassign(client, world) == {
        "list": statuses(200, deciders)[persona],
        "alert": {**statuses(200, deciders), **dict.fromkeys(("sales1", "sales2", "sales_top"),
                                                             204)}[persona],
        "confirm": statuses(200, deciders)[persona],
        "active": statuses(404, deciders)[persona],
        "apply": statuses(303, deciders)[persona]}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_referral_routes_follow_the_matrix(client, world, persona):
    client.login(persona)
    in_sales, sells = (*SALES, "gm"), SALES
    observed = _referrals(client, world)
    assert observed == {
        "list": statuses(200, in_sales)[persona], "listed": LISTED.get(persona, ""),
        "export": statuses(200, in_sales)[persona], "new": statuses(200, sells)[persona],
        "edit": EDIT[persona]}


def test_the_ownership_list_hides_requests_about_customers_above_clearance(client, world):
    """The sales manager (secret) manages the department but never sees the confidential C."""
    client.login("sales_mgr")
    html = client.get("/sales/ownership/?view=mine").get_data(as_text=True)
    waiting = client.get("/sales/ownership/?view=waiting").get_data(as_text=True)
    assert f'id="ownership-{world.claims[1]}"' in html  # their own request for S
    assert f'id="ownership-{world.claims[2]}"' not in html + waiting
    assert f'id="ownership-{world.claims[0]}"' in waiting


@pytest.mark.parametrize("persona", IN_SALES)
def test_the_ownership_list_holds_exactly_the_requests_the_viewer_may_open(client, world,
                                                                          persona):
    """Rule: the list (its view "与我有关") and a request's page obey the same rule: a row for
    every request whose page opens, none for one that does not (the manager finds the
    department's requests after deciding them)."""
    client.login(persona)
    html = client.get("/sales/ownership/?view=mine").get_data(as_text=True)
    listed = [f'id="ownership-{claim}"' in html for claim in world.claims]
    opens = [client.get(f"/sales/ownership/{claim}").status_code == 200
             for claim in world.claims]
    assert listed == opens and listed == [status == 200 for status in DETAIL[persona]]


def test_reassign_never_reaches_past_the_managers_clearance(client, app, world):
    """A departed owner's confidential customer stays for the GM: the manager moves only what
    they may see."""
    with app.app_context():
        db.session.get(Customer, world.customers["C"].id).owner_id = world.users["leaver"].id
        db.session.commit()
    client.login("sales_mgr")
    response = client.post_form(f"/sales/reassign/{world.users['leaver'].id}",
                                {"to": world.users["sales2"].id, "password": PASSWORD})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Customer, world.customers["C"].id).owner_id == (
            world.users["leaver"].id)
    client.login("gm")
    assert client.get(f"/sales/reassign/{world.users['leaver'].id}?to="
                      f"{world.users['sales_top'].id}").status_code == 200


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_the_reassign_export_follows_the_matrix(client, world, persona):
    """The export of the departed-owner list answers exactly like the list: the sales manager
    and the GM, 403 for everyone else."""
    client.login(persona)
    expected = statuses(200, ("sales_mgr", "gm"))[persona]
    assert (client.get("/sales/reassign/export.xlsx").status_code,
            client.get("/sales/reassign/").status_code) == (expected, expected)
