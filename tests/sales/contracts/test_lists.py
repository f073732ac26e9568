"""The contract list: scoped by policy, filtered (status, kind, customer, owner, sign dates),
searched, sorted and paged by keyset; its Excel export takes the same query and shows exactly
what the page would (scope, masked phones), with formulas neutralised, and is audited."""

import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ContractKind
from tests.factories.customers import make_customer
from tests.factories.sales import approved, make_contract


def _listed(client, url: str, contracts: dict) -> str:
    """Which of the contracts (by key) the list shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    return "".join(k for k, c in sorted(contracts.items()) if c.number in html)


def _setup(app, team):
    mine = make_customer(app, team.staff, name="星河电子有限公司", phone="13912345678")
    other = make_customer(app, team.staff2, name="远山建材有限公司")
    contracts = {
        "a": make_contract(app, mine, by=team.staff, name="服务器采购", sign_date=date(2026, 1, 5)),
        "b": make_contract(app, mine, by=team.staff, name="维保服务", kind=ContractKind.SERVICE,
                           sign_date=date(2026, 2, 5)),
        "c": make_contract(app, other, by=team.staff2, name="钢材订货", sign_date=date(2026, 3, 5)),
    }
    contracts["a"] = approved(app, team, contracts["a"])
    return contracts


def test_staff_see_their_own_and_managers_their_department(client, app, team):
    c = _setup(app, team)
    client.login("sales1")
    assert _listed(client, "/sales/contracts/", c) == "ab"
    client.login("sales_mgr")
    assert _listed(client, "/sales/contracts/", c) == "abc"
    client.login("cs1")
    assert client.get("/sales/contracts/").status_code == 403


def test_filters_narrow_the_list(client, app, team):
    c = _setup(app, team)
    client.login("sales_mgr")
    assert _listed(client, "/sales/contracts/?status=active", c) == "a"
    assert _listed(client, "/sales/contracts/?kind=service", c) == "b"
    assert _listed(client, "/sales/contracts/?customer=远山", c) == "c"
    assert _listed(client, f"/sales/contracts/?owner={team.staff2.id}", c) == "c"
    assert _listed(client, "/sales/contracts/?sign_from=2026-02-01&sign_to=2026-02-28", c) == "b"
    assert _listed(client, "/sales/contracts/?q=维保", c) == "b"
    assert _listed(client, f"/sales/contracts/?q={c['c'].number}", c) == "c"
    # an invalid filter value is ignored, not fatal
    assert _listed(client, "/sales/contracts/?sign_from=not-a-date", c) == "abc"


def test_owner_filter_is_offered_to_managers_not_staff(client, app, team):
    _setup(app, team)
    client.login("sales1")
    assert 'name="owner"' not in client.get("/sales/contracts/").get_data(as_text=True)
    client.login("sales_mgr")
    assert 'name="owner"' in client.get("/sales/contracts/").get_data(as_text=True)


def test_sorting_and_keyset_pages(client, app, team):
    customer = make_customer(app, team.staff)
    made = [make_contract(app, customer, by=team.staff, sign_date=date(2026, 1, 1 + i))
            for i in range(23)]
    client.login("sales1")
    first = client.get("/sales/contracts/?sort=sign_date&dir=asc").get_data(as_text=True)
    assert "共 23 条" in first
    assert first.index(made[0].number) < first.index(made[1].number)
    assert made[22].number not in first
    nxt = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = client.get(nxt).get_data(as_text=True)
    assert made[22].number in second and made[0].number not in second
    fragment = client.htmx("GET", "/sales/contracts/?q=设备").get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="results">')


def _sheet(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(response.data)).active.values)
    return rows[0], rows[1:]


def test_export_matches_the_page_masks_phones_and_is_audited(client, app, team):
    c = _setup(app, team)
    client.login("sales1")
    headers, rows = _sheet(client.get("/sales/contracts/export.xlsx?kind=sales"))
    assert headers[:5] == ("合同编号", "合同名称", "合同种类", "客户名称", "客户电话")
    assert [r[0] for r in rows] == [c["a"].number]
    assert rows[0][4] == "139****5678" and "13912345678" not in str(rows)
    assert rows[0][8] == 1000  # an Excel number, not text
    _, all_rows = _sheet(client.get("/sales/contracts/export.xlsx"))
    assert {r[0] for r in all_rows} == {c["a"].number, c["b"].number}
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert len(events) == 2 and "kind=sales" in events[0].changes


def test_export_neutralises_formulas(client, app, team):
    customer = make_customer(app, team.staff, name="=HYPERLINK(\"http://x\")")
    make_contract(app, customer, by=team.staff, name="+cmd|' /C calc'!A0")
    client.login("sales1")
    _, rows = _sheet(client.get("/sales/contracts/export.xlsx"))
    assert rows[0][1] == "'+cmd|' /C calc'!A0" and rows[0][3].startswith("'=")


def test_export_cells_carry_labels_of_their_own_kind(client, app, team):
    """销售合同 (kind) and 销售部 (department) share the code "sales": each keeps its label."""
    _setup(app, team)
    client.login("sales1")
    headers, rows = _sheet(client.get("/sales/contracts/export.xlsx?kind=sales"))
    row = dict(zip(headers, rows[0], strict=True))
    assert (row["合同种类"], row["部门"], row["密级"], row["状态"]) == (
        "销售合同", "销售部", "内部", "已生效")
    assert row["签订日期"] == "2026-01-05"
