"""Policy matrix of visits and contacts: persona x route x confidentiality -> what the server
answers, and which records each list, export and count holds.

Rules checked: visit records follow their customer's scope (staff: their own customers',
managers: their department's, the GM all, read-only; other departments and the admin/auditor
nothing); a record above the user's clearance is 404 on every route; contacts follow their
customer (its full profile to see them, the right to edit it to change them, to reveal its
personal data to see a phone in clear).
"""

from datetime import datetime, time, timedelta

import pytest

from tests.customers.test_policy_matrix import DETAIL, EDIT, MINE, REVEAL
from tests.factories import snapshots
from tests.factories.customers import make_contact
from tests.factories.sales import make_plan, make_report
from tests.factories.world import PERSONAS, RECORDS, build_world
from tests.support import sheet, today

LEVELS = list(RECORDS)  # P, I, S, C
SALES = {"sales1", "sales2", "sales_top", "sales_mgr"}
READERS = SALES | {"gm"}

# A visit record (plan or report) of each level: staff see their own customers', the manager
# the department's within clearance, the GM all; EDIT for the sales staff/manager in scope.
RECORD_VIEW = {
    "sales1": (200, 200, 404, 404), "sales2": (404, 404, 404, 404),
    "sales_top": (404, 404, 200, 200), "sales_mgr": (200, 200, 200, 404),
    "gm": (200, 200, 200, 200),
}
RECORD_EDIT = {**RECORD_VIEW, "gm": (403, 403, 403, 403)}
NONE = (404, 404, 404, 404)
# The customer's grid needs the customer's full profile: the card only is 403.
GRID = {p: tuple(200 if s == "full" else 403 if s == "card" else 404 for s in DETAIL[p])
        for p in PERSONAS}

COVERED = {
    "sales.visit_list", "sales.visit_export", "sales.visit_week", "sales.visit_week_export",
    "sales.visit_daily", "sales.visit_daily_export", "sales.visit_customer",
    "sales.visit_customer_export", "sales.visit_grid", "sales.visit_grid_export",
    "sales.visit_plan_new", "sales.visit_plan_detail",
    "sales.visit_plan_edit", "sales.visit_plan_cancel", "sales.visit_report_new",
    "sales.visit_report_detail", "sales.visit_report_edit",
    "customers.contact_list", "customers.contact_new", "customers.contact_edit",
    "customers.contact_delete", "customers.contact_primary", "customers.contact_reveal",
}


def _record(table: dict, persona: str) -> tuple:
    return table.get(persona, NONE)


@pytest.fixture
@snapshots.reused
def world(app):
    """The policy world, with for each customer (P/I/S/C): a plan today, an overdue plan, a
    report made today, and two contacts (the first primary)."""
    world = build_world(app)
    day = today(app)
    world.plans, world.late, world.reports, world.contacts = {}, {}, {}, {}
    for key, customer in world.customers.items():
        world.plans[key] = make_plan(app, customer, day, purpose=f"矩阵{key}级计划")
        world.late[key] = make_plan(app, customer, day - timedelta(days=1))
        world.reports[key] = make_report(app, customer, datetime.combine(day, time(0, 0)),
                                         purpose=f"矩阵{key}级拜访")
        world.contacts[key] = (make_contact(app, customer, name="甲", mobile="13900001111"),
                               make_contact(app, customer, name="乙"))
    return world


def _statuses(client, method: str, urls: list[str], data=None) -> tuple:
    if method == "POST":
        return tuple(client.post_form(url, data or {}).status_code for url in urls)
    return tuple(client.get(url).status_code for url in urls)


def _visit_records(client, world) -> dict:
    plans = [world.plans[k].id for k in LEVELS]
    reports = [world.reports[k].id for k in LEVELS]
    return {
        "plan_detail": _statuses(client, "GET", [f"/sales/visits/plans/{i}" for i in plans]),
        "plan_edit": _statuses(client, "GET", [f"/sales/visits/plans/{i}/edit" for i in plans]),
        "report_for_plan": _statuses(client, "GET",
                                     [f"/sales/visits/reports/new?plan={i}" for i in plans]),
        "report_detail": _statuses(client, "GET",
                                   [f"/sales/visits/reports/{i}" for i in reports]),
        "report_edit": _statuses(client, "GET",
                                 [f"/sales/visits/reports/{i}/edit" for i in reports]),
        "plan_cancel": _statuses(client, "POST", [f"/sales/visits/plans/{world.late[k].id}/cancel"
                                                  for k in LEVELS]),
    }


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_visit_record_routes_follow_the_matrix(client, world, persona):
    """Each persona gets exactly the expected answer on each visit record of each level."""
    client.login(persona)
    view, edit = _record(RECORD_VIEW, persona), _record(RECORD_EDIT, persona)
    expected = {
        "plan_detail": view, "plan_edit": edit, "report_for_plan": edit,
        "report_detail": view, "report_edit": edit,
        "plan_cancel": tuple(303 if s == 200 else s for s in edit),
    }
    assert _visit_records(client, world) == expected


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_the_customers_visit_grid_follows_the_customers_profile(client, world, persona):
    client.login(persona)
    ids = [world.customers[k].id for k in LEVELS]
    observed = {
        "grid": _statuses(client, "GET", [f"/sales/visits/customers/{i}" for i in ids]),
        "export": _statuses(client, "GET",
                            [f"/sales/visits/customers/{i}/export.xlsx" for i in ids]),
    }
    assert observed == {"grid": GRID[persona], "export": GRID[persona]}


AREA_ROUTES = [
    ("/sales/visits/", READERS), ("/sales/visits/?kind=reports", READERS),
    ("/sales/visits/export.xlsx", READERS), ("/sales/visits/export.xlsx?kind=reports", READERS),
    ("/sales/visits/week", READERS), ("/sales/visits/week/export.xlsx", READERS),
    ("/sales/visits/daily", READERS), ("/sales/visits/daily/export.xlsx", READERS),
    ("/sales/visits/grid", READERS), ("/sales/visits/grid/export.xlsx", READERS),
    ("/sales/visits/plans/new", SALES), ("/sales/visits/reports/new", SALES),
]


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_visit_areas_follow_the_matrix(client, world, persona):
    """Lists, exports and forms: sales staff, managers and the GM read; only sales create."""
    client.login(persona)
    observed = {url: client.get(url).status_code for url, _who in AREA_ROUTES}
    assert observed == {url: 200 if persona in who else 403 for url, who in AREA_ROUTES}


def _levels_in(text: str | None, pattern: str) -> str | None:
    return None if text is None else "".join(k for k in LEVELS if pattern.format(k=k) in text)


def _page(client, url: str) -> str | None:
    response = client.get(url)
    return response.get_data(as_text=True) if response.status_code == 200 else None


def _export(client, url: str) -> str | None:
    response = client.get(url)
    return str(sheet(response)) if response.status_code == 200 else None


@pytest.mark.parametrize("persona", sorted(READERS))
def test_every_list_and_count_holds_exactly_the_records_in_scope(client, world, persona):
    """The lists, their exports, the week, the day, the yearly grid and the home page's overdue
    count hold the persona's records and no others (data scope and clearance)."""
    client.login(persona)
    day = today(client.application).isoformat()
    observed = {
        "plans": _levels_in(_page(client, "/sales/visits/?q=矩阵"), "矩阵{k}级计划"),
        "plans_export": _levels_in(_export(client, "/sales/visits/export.xlsx?q=矩阵"),
                                   "矩阵{k}级计划"),
        "week": _levels_in(_page(client, f"/sales/visits/week?week={day}"), "矩阵{k}级计划"),
        "week_export": _levels_in(_export(client, f"/sales/visits/week/export.xlsx?week={day}"),
                                  "矩阵{k}级计划"),
        "reports": _levels_in(_page(client, "/sales/visits/?kind=reports"), "矩阵{k}级拜访"),
        "reports_export": _levels_in(_export(client, "/sales/visits/export.xlsx?kind=reports"),
                                     "矩阵{k}级拜访"),
        "daily": _levels_in(_page(client, f"/sales/visits/daily?date={day}"), "矩阵{k}级拜访"),
        "daily_export": _levels_in(
            _export(client, f"/sales/visits/daily/export.xlsx?date={day}"), "矩阵{k}级拜访"),
        "grid": _levels_in(_page(client, "/sales/visits/grid"), "矩阵{k}级客户"),
        "grid_export": _levels_in(_export(client, "/sales/visits/grid/export.xlsx"),
                                  "矩阵{k}级客户"),
    }
    mine = MINE[persona]
    assert observed == {name: mine for name in observed}
    home = client.get("/").get_data(as_text=True)
    assert f'data-count="overdue-visits">{len(mine)}<' in home


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - READERS))
def test_others_see_no_overdue_visit_count(client, world, persona):
    client.login(persona)
    assert "overdue-visits" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_contact_routes_follow_the_customers_rights(client, world, persona):
    """Contacts: the section needs the full profile; changes the right to edit the customer; a
    phone in clear the right to reveal its personal data; above clearance 404."""
    client.login(persona)
    cid = {k: world.customers[k].id for k in LEVELS}
    first = {k: world.contacts[k][0].id for k in LEVELS}
    second = {k: world.contacts[k][1].id for k in LEVELS}
    base = {k: f"/customers/{cid[k]}/contacts" for k in LEVELS}
    observed = {
        "section": _statuses(client, "GET", [base[k] for k in LEVELS]),
        "new": _statuses(client, "GET", [f"{base[k]}/new" for k in LEVELS]),
        "edit": _statuses(client, "GET", [f"{base[k]}/{first[k]}/edit" for k in LEVELS]),
        "primary": _statuses(client, "POST", [f"{base[k]}/{second[k]}/primary" for k in LEVELS]),
        "reveal": _statuses(client, "POST", [f"{base[k]}/{first[k]}/reveal" for k in LEVELS],
                            {"field": "mobile", "reason": "核对联系方式"}),
        "delete": _statuses(client, "POST", [f"{base[k]}/{first[k]}/delete" for k in LEVELS]),
    }
    section = GRID[persona]
    expected = {
        "section": section, "new": EDIT[persona], "edit": EDIT[persona],
        "primary": tuple(303 if s == 200 else s for s in EDIT[persona]),
        "reveal": REVEAL[persona],
        "delete": tuple(303 if s == 200 else s for s in EDIT[persona]),
    }
    assert observed == expected


def test_a_visit_record_above_clearance_is_404_in_fragments_too(client, world):
    client.login("sales_mgr")
    secret_plan, top_plan = world.plans["S"].id, world.plans["C"].id
    assert client.htmx("GET", f"/sales/visits/plans/{secret_plan}").status_code == 200
    assert client.htmx("GET", f"/sales/visits/plans/{top_plan}").status_code == 404
    assert "矩阵C级" not in client.htmx("GET", "/sales/visits/?q=矩阵").get_data(as_text=True)
