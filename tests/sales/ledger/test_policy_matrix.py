"""Policy matrix of the sales ledger, payments, receivables, statistics and results routes:
persona x route x confidentiality level -> what the server answers, and which levels' records
each list and export shows. Reversing (红冲) a payment or a ledger row follows the right to
change it (app/policy/sales.py MoneyRules): the staff on their own customers' rows, managers on
their department's; the GM reads only.

Rules checked (DESIGN.md "Policy", app/policy/sales.py ScopedRules): staff see and change their
own customers' records, managers their department's, the GM reads all and changes nothing;
other departments, the archivist, admin and auditor see no sales ledger; a record above the
user's clearance is 404 on every route, lists and exports included.
"""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import SalesEntry
from app.services.sales.ledger.operations import stamp
from tests.factories import snapshots
from tests.factories.sales import make_contract, make_entry, make_payment, term_ids
from tests.factories.world import PERSONAS, RECORDS, build_world
from tests.support import today

LEVELS = list(RECORDS)  # P, I, S, C
SALES = {"sales1", "sales2", "sales_top", "sales_mgr"}
READERS = SALES | {"gm"}

# Record routes: may the persona view the record (payments page), and change it?
VIEW = {
    "sales1": (200, 200, 404, 404),
    "sales2": (404, 404, 404, 404),
    "sales_top": (404, 404, 200, 200),
    "sales_mgr": (200, 200, 200, 404),
    "gm": (200, 200, 200, 200),
    **{p: (404, 404, 404, 404) for p in ("cs1", "cs_mgr", "risk1", "archivist", "admin",
                                          "auditor")},
}
EDIT = {**VIEW, "gm": (403, 403, 403, 403)}
# Which levels' records each list and export shows; None: the list is refused (403).
LISTED = {"sales1": "PI", "sales2": "", "sales_top": "SC", "sales_mgr": "PIS", "gm": "PISC",
          **{p: None for p in ("cs1", "cs_mgr", "risk1", "archivist", "admin", "auditor")}}
LISTS = ("/sales/ledger/", "/sales/receivables/", "/sales/statistics/", "/sales/results/")
EXPORTS = ("/sales/ledger/export.xlsx", "/sales/receivables/export.xlsx",
           "/sales/statistics/export.xlsx", "/sales/results/export.xlsx")
COVERED = {"sales.ledger_list", "sales.ledger_export", "sales.ledger_new", "sales.ledger_edit",
           "sales.ledger_reverse", "sales.payment_reverse", "sales.payment_list",
           "sales.payment_export",
           "sales.payment_create", "sales.receivables_list", "sales.receivables_export",
           "sales.statistics_list", "sales.statistics_export", "sales.results_list",
           "sales.results_export"}


@pytest.fixture
@snapshots.reused
def world(app):
    """The personas and, for each level's customer, a contract in force with a term due ten
    days ago, a payment and a ledger row."""
    world = build_world(app)
    world.records = {}
    for key in LEVELS:
        contract = make_contract(app, world.customers[key], terms=(("advance", "1000.00", -10),))
        payment = make_payment(app, contract, "10.00")
        entry = make_entry(app, contract, unit_price="100.00")
        world.records[key] = (contract, term_ids(app, contract)[0], entry, payment)
    return world


def _names(world, html: str) -> str | None:
    return "".join(k for k in LEVELS if world.customers[k].name in html)


def _listed(client, world, url: str) -> str | None:
    response = client.get(url)
    if response.status_code == 403:
        return None
    assert response.status_code == 200, url
    return _names(world, response.get_data(as_text=True))


def _exported(client, world, url: str) -> str | None:
    response = client.get(url)
    if response.status_code == 403:
        return None
    assert response.status_code == 200, url
    book = load_workbook(BytesIO(response.data), read_only=True)
    cells = " ".join(str(v) for sheet in book.worksheets
                     for row in sheet.iter_rows(values_only=True) for v in row if v)
    return _names(world, cells)


def _row_form(app, entry) -> dict:
    with app.app_context():
        current = stamp(db.session.get(SalesEntry, entry.id))
    return {"contact_name": "王经理", "invoice_no": "FP-9", "stamp": current}


def _record_routes(app, client, world) -> dict:
    """Status of every record route for each level (the reversals last)."""
    seen = {name: [] for name in ("payments", "payments_export", "pay", "edit", "save",
                                  "reverse_page", "reverse", "payment_reverse_page",
                                  "payment_reverse")}
    for key in LEVELS:
        contract, term, entry, payment = world.records[key]
        seen["payments"].append(client.get(f"/sales/contracts/{contract.id}/payments").status_code)
        seen["payments_export"].append(client.get(
            f"/sales/contracts/{contract.id}/payments/export.xlsx").status_code)
        seen["pay"].append(client.post_form(f"/sales/contracts/{contract.id}/payments", {
            "term": term, "paid_on": today(app).isoformat(), "amount": "1.00",
            "method": "bank_transfer"}).status_code)
        seen["edit"].append(client.get(f"/sales/ledger/{entry.id}/edit").status_code)
        seen["save"].append(client.post_form(f"/sales/ledger/{entry.id}/edit",
                                             _row_form(app, entry)).status_code)
        seen["reverse_page"].append(client.get(f"/sales/ledger/{entry.id}/reverse").status_code)
        seen["reverse"].append(client.post_form(f"/sales/ledger/{entry.id}/reverse",
                                                {"reason": "录入错误"}).status_code)
        seen["payment_reverse_page"].append(
            client.get(f"/sales/payments/{payment.id}/reverse").status_code)
        seen["payment_reverse"].append(client.post_form(f"/sales/payments/{payment.id}/reverse",
                                                        {"reason": "录入错误"}).status_code)
    return {name: tuple(statuses) for name, statuses in seen.items()}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_ledger_routes_follow_the_matrix(app, client, world, persona):
    """Each persona gets exactly the expected answer on every route, level, list and export."""
    client.login(persona)
    observed = {
        "lists": {url: _listed(client, world, url) for url in LISTS},
        "exports": {url: _exported(client, world, url) for url in EXPORTS},
        "new": client.get("/sales/ledger/new").status_code,
        **_record_routes(app, client, world),
    }
    changed = tuple(303 if status == 200 else status for status in EDIT[persona])
    expected = {
        "lists": dict.fromkeys(LISTS, LISTED[persona]),
        "exports": dict.fromkeys(EXPORTS, LISTED[persona]),
        "new": 200 if persona in SALES else 403,
        "payments": VIEW[persona], "payments_export": VIEW[persona], "pay": changed,
        "edit": EDIT[persona], "save": changed, "reverse_page": EDIT[persona],
        "reverse": changed, "payment_reverse_page": EDIT[persona], "payment_reverse": changed,
    }
    assert observed == expected


@pytest.mark.parametrize("persona", ["sales1", "sales_mgr"])
def test_drill_downs_and_fragments_obey_the_same_scope(client, world, persona):
    """A drill-down to a customer above the user's clearance is 404; an htmx fragment of a
    list shows no more than the page."""
    client.login(persona)
    top = world.customers["C"].id
    assert client.get(f"/sales/receivables/?customer={top}").status_code == 404
    fragment = client.htmx("GET", "/sales/ledger/?q=矩阵").get_data(as_text=True)
    assert _names(world, fragment) == LISTED[persona]


def test_anonymous_users_are_sent_to_sign_in(client, world):
    """Without a session every ledger route redirects to /login."""
    contract, _term, entry, payment = world.records["P"]
    for url in (*LISTS, *EXPORTS, "/sales/ledger/new", f"/sales/ledger/{entry.id}/edit",
                f"/sales/ledger/{entry.id}/reverse", f"/sales/payments/{payment.id}/reverse",
                f"/sales/contracts/{contract.id}/payments",
                f"/sales/contracts/{contract.id}/payments/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
