"""Accessibility in a real browser: axe-core (vendored, tests/browser/vendor/README.md) checks
the main pages (sign-in, home, lists, forms, records, approvals, ledgers, the audit trail,
administration) and fails on any serious or critical violation, on landmarks that share a label
and on a page without exactly one h1.

The people and records are this module's own: the customer's review is signed before any page
is checked, so no sales manager's inbox gains an item other browser tests would count."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from app.models import DeptCode, Role
from tests.factories.approvals import activate, request_of
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.factories.sales import make_contract
from tests.factories.service import make_service_record
from tests.support import sign_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core-4.11.1" / "axe.min.js"
# Evaluated through the DevTools protocol: the pages' Content-Security-Policy (script-src 'self')
# refuses a script tag added to them, and must stay as it is while they are checked.
_AXE_SOURCE = f"() => {{ {AXE.read_text(encoding='utf-8')}\n}}"
BLOCKING = {"serious", "critical"}
# Best-practice rules (moderate in axe) that the accessibility requirements make binding.
ALWAYS = {"landmark-unique", "page-has-heading-one", "landmark-one-main", "region"}


@pytest.fixture(scope="module")
def records(live_server):
    """A salesperson's approved customer with a draft contract and a service record the
    salesperson registered, their manager, an auditor, an administrator and a 客服 manager."""
    app = live_server.app
    people = {
        "ax_sales": make_user(app, "ax_sales", full_name="韦无障"),
        "ax_mgr": make_user(app, "ax_mgr", role=Role.MANAGER, full_name="柏可读"),
        "ax_auditor": make_user(app, "ax_auditor", role=Role.AUDITOR,
                                dept=DeptCode.MANAGEMENT),
        "ax_admin": make_user(app, "ax_admin", role=Role.ADMIN, dept=DeptCode.IT),
        "ax_cs_mgr": make_user(app, "ax_cs_mgr", role=Role.MANAGER, dept=DeptCode.SERVICE,
                               full_name="童客服"),
    }
    customer = make_customer(app, people["ax_sales"], name="明视无障碍科技有限公司")
    activate(app, customer, people["ax_mgr"])
    contract = make_contract(app, customer, by=people["ax_sales"], name="读屏软件采购合同")
    record = make_service_record(app, people["ax_sales"], customer)
    return {"customer": customer.id, "request": request_of(app, customer),
            "contract": contract.id, "record": record.id}


# (who signs in, the page's path with {customer}, {contract}, {request}, {record} filled in)
PAGES = [
    (None, "/login"),
    ("ax_sales", "/"),
    ("ax_sales", "/customers/"),
    ("ax_sales", "/customers/new"),
    ("ax_sales", "/customers/{customer}"),
    ("ax_sales", "/sales/contracts/"),
    ("ax_sales", "/sales/contracts/new"),
    ("ax_sales", "/sales/contracts/{contract}"),
    ("ax_sales", "/account"),
    ("ax_mgr", "/approvals/"),
    ("ax_mgr", "/approvals/{request}"),
    ("ax_mgr", "/sales/receivables/"),
    ("ax_mgr", "/sales/ledger/"),
    ("ax_auditor", "/audit/"),
    ("ax_admin", "/admin/users/"),
    ("ax_cs_mgr", "/service/records/"),
    ("ax_cs_mgr", "/service/records/{record}"),
    ("ax_cs_mgr", "/service/records/new"),
]


def _violations(page: Page) -> list[str]:
    """axe's blocking findings on the page as "rule (impact): the elements' selectors"."""
    page.evaluate(_AXE_SOURCE)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:5]}"
            for v in results["violations"] if v["impact"] in BLOCKING or v["id"] in ALWAYS]


@pytest.mark.parametrize(("user", "path"), PAGES, ids=[path for _, path in PAGES])
def test_the_page_has_no_serious_accessibility_violation(page: Page, records, user, path):
    if user:
        sign_in(page, user)
    response = page.goto(path.format(**records))
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert _violations(page) == []


def test_the_check_catches_a_contrast_failure(page: Page):
    """Grey on white at 2.3:1 (what the old inactive nav links came to) is reported."""
    page.goto("/login")
    page.evaluate("""() => { const p = document.createElement('p');
        p.textContent = '对比度不足的文字'; p.style.color = '#999999';
        document.querySelector('main').append(p); }""")
    assert any(v.startswith("color-contrast (serious)") for v in _violations(page))
