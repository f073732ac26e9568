"""Policy matrix for every route that is not a record route, and a check that no route of the
application is left out of the matrices: every matrix module (this one, and each domain's
tests/<domain>/.../test_policy_matrix.py beside its tests) declares the endpoints it covers in
COVERED.
"""

import importlib
import pkgutil

import pytest
from sqlalchemy import select

import tests
from app.extensions import db
from app.models import UserSession
from tests.factories.world import PERSONAS, build_world

SALES = {"sales1", "sales2", "sales_top", "sales_mgr"}
ALL = set(PERSONAS)


def only(*names, yes=200, no=403):
    allowed = set().union(*[n if isinstance(n, set) else {n} for n in names])
    return {p: (yes if p in allowed else no) for p in PERSONAS}


# (endpoint, method, url, {persona: status}); {uid} is another user's id.
ROUTES = [
    ("core.home", "GET", "/", only(ALL)),
    ("core.healthz", "GET", "/healthz", only(ALL)),
    ("sales.home", "GET", "/sales/", only(SALES, "gm")),
    ("service.home", "GET", "/service/", only("cs1", "cs_mgr", "gm")),
    ("core.area_placeholder", "GET", "/areas/risk", only("risk1", "gm")),
    ("core.area_placeholder", "GET", "/areas/archive", only(set(), no=404)),  # built: /archive/
    ("archive.home", "GET", "/archive/", only("archivist", "gm")),
    ("customers.customer_validate", "GET", "/customers/validate/name?name=x", only(SALES)),
    ("customers.customer_export", "GET", "/customers/export.xlsx",
     only(ALL - {"admin", "auditor"})),
    ("admin.user_list", "GET", "/admin/users/", only("admin")),
    ("admin.user_new", "GET", "/admin/users/new", only("admin")),
    ("admin.user_edit", "GET", "/admin/users/{uid}/edit", only("admin", no=404)),
    ("admin.user_set_active", "POST", "/admin/users/{uid}/active", only("admin", yes=303, no=404)),
    ("admin.user_reset_password", "POST", "/admin/users/{uid}/reset-password",
     only("admin", yes=303, no=404)),
    ("admin.user_unlock", "POST", "/admin/users/{uid}/unlock", only("admin", yes=303, no=404)),
    ("admin.flow_list", "GET", "/admin/flows/", only("admin")),
    ("admin.flow_edit", "GET", "/admin/flows/1/edit", only("admin")),
    ("audit.event_list", "GET", "/audit/", only("auditor")),
    ("audit.event_export", "GET", "/audit/export.xlsx", only("auditor")),
    ("audit.actor_pick", "GET", "/audit/actors?q=s", only("auditor")),
    ("audit.chain_verify", "POST", "/audit/verify", only("auditor")),
    # Administrators too: they file account grants and may be the second person to approve one.
    ("approvals.request_inbox", "GET", "/approvals/", only(ALL - {"auditor"})),
    ("approvals.request_count", "GET", "/approvals/count", only(ALL - {"auditor"})),
    ("approvals.notifications_read", "POST", "/approvals/notifications/read",
     only(ALL - {"auditor"}, yes=303)),
    ("auth.password_change", "GET", "/password", only(ALL)),
    ("auth.locale_change", "POST", "/preferences/locale", only(ALL, yes=303)),
    ("auth.login", "GET", "/login", only(ALL, yes=303)),  # signed in: back to the home page
    ("auth.account", "GET", "/account", only(ALL)),
    # {sid}: a session of sales2's; anyone else's attempt to end it is 404.
    ("auth.session_end", "POST", "/account/sessions/{sid}/end", only("sales2", yes=303, no=404)),
    ("auth.logout_confirm", "GET", "/logout", only(ALL)),  # a GET only asks
    ("auth.logout", "POST", "/logout", only(ALL, yes=303)),
    ("auth.session_end_all", "POST", "/account/sessions/end-all", only(ALL, yes=303)),
]
COVERED = {endpoint for endpoint, *_ in ROUTES}
SIGNS_OUT = {"auth.logout", "auth.session_end_all"}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_other_route_follows_the_matrix(client, app, persona):
    world = build_world(app)
    uid = world.users["sales2"].id
    app.test_client().login("sales2")
    sid = _session_of(app, uid)
    client.login(persona)
    observed, expected = {}, {}
    for endpoint, method, url, statuses in ROUTES:
        url = url.format(uid=uid, sid=sid)
        data = {"active": "1", "temporary_password": "Temp-2026x", "locale": "zh_CN"}
        response = (client.post_form(url, data) if method == "POST" else client.get(url))
        observed[f"{method} {url}"] = response.status_code
        expected[f"{method} {url}"] = statuses[persona]
        if endpoint in SIGNS_OUT:
            client.login(persona)
    assert observed == expected


def _session_of(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(UserSession.id).where(UserSession.user_id == user_id))


def _covered_by_matrices() -> set[str]:
    covered = {"static"} | COVERED
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.endswith(".test_policy_matrix"):
            covered |= importlib.import_module(module.name).COVERED
    return covered


def test_every_route_is_in_a_policy_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - _covered_by_matrices() == set(), "add these routes to a policy matrix"
