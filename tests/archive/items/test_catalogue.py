"""The catalogue (/archive/items/): search by 档号, 题名, 业务编号 and customer (the customer
master's Chinese search), filters, sort, the Excel export's columns, who has an item on loan,
and the title index a real filing writes."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import DeptCode, Level, User
from app.models.archive import ArchiveItem, ArchiveLocation, ArchiveState
from app.models.archive.loans import ArchiveLoan, ArchiveLoanItem, LoanMethod, LoanStatus
from app.models.base import utcnow
from app.services.archive.items import search
from tests.factories.archive import catalogue_item, filed_customer
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.support import sheet


@pytest.fixture
def people(app):
    return make_people(app, "archivist", "sales1", "sales_mgr", "cs_mgr", named=True)


def _numbers(client, **params) -> set[str]:
    """The 档号 the catalogue lists for these query parameters."""
    response = client.get("/archive/items/", query_string=params)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    return {n for n in _all(client.application) if f'data-archive-number="{n}"' in text}


def _all(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(ArchiveItem.archive_number)))


def test_search_finds_number_prefix_title_business_number_and_customer(app, client, people):
    """q= finds an item by the beginning of its 档号 or 业务编号, by any part of its title
    (two Chinese characters), and by its customer's name through the customers' index; a
    term that matches nothing lists nothing."""
    customer = make_customer(app, people["sales1"], name="华信精密机械有限公司")
    by = people["archivist"]
    titled = catalogue_item(app, by, title="HT-1 年度维保服务合同")
    numbered = catalogue_item(app, by, archive_number="TZ-KH·2031-D3-XS-00001")
    business = catalogue_item(app, by, business_number="2031-TECH-777")
    customers = catalogue_item(app, by, customer_id=customer.id)
    client.login("archivist")
    assert _numbers(client, q="维保") == {titled.archive_number}
    assert _numbers(client, q="TZ-KH·2031") == {numbered.archive_number}
    assert _numbers(client, q="2031-tech") == {business.archive_number}
    assert _numbers(client, q="华信精密") == {customers.archive_number}
    assert _numbers(client, q="不存在的词") == set()


def test_filters_narrow_the_list(app, client, people):
    """Each filter keeps only the items it names: kind, department, level, year, state,
    retention code, expiry range and location; an invalid filter value is ignored."""
    by, soon = people["archivist"], date(2030, 6, 1)
    plain = catalogue_item(app, by)
    others = {
        "kind": catalogue_item(app, by, record_type="Customer"),
        "department": catalogue_item(app, by, dept=DeptCode.SERVICE),
        "level": catalogue_item(app, by, level=Level.SECRET),
        "year": catalogue_item(app, by, year=2031),
        "state": catalogue_item(app, by, state=ArchiveState.HELD),
        "retention": catalogue_item(app, by, retention_code="D30", retention_years=30),
        "expiry": catalogue_item(app, by, expiry_date=soon),
        "location": catalogue_item(app, by, location=ArchiveLocation.SHELF, shelf_mark="A-1"),
    }
    with app.app_context():
        service = db.session.get(ArchiveItem, others["department"].id).department_id
    client.login("archivist")
    assert _numbers(client, kind="Customer") == {others["kind"].archive_number}
    assert _numbers(client, department=service) == {others["department"].archive_number}
    assert _numbers(client, level=Level.SECRET.value) == {others["level"].archive_number}
    assert _numbers(client, year=2031) == {others["year"].archive_number}
    assert _numbers(client, state="held") == {others["state"].archive_number}
    assert _numbers(client, retention="D30") == {others["retention"].archive_number}
    assert _numbers(client, expiry_from=(soon - timedelta(days=1)).isoformat(),
                    expiry_to=soon.isoformat()) == {others["expiry"].archive_number}
    assert _numbers(client, location="shelf") == {others["location"].archive_number}
    assert plain.archive_number in _numbers(client, year="二〇三一", level="x")


def test_sort_by_number_and_pages(app, client, people):
    """Sorted by 档号 the rows follow the number; a second page continues the first."""
    by = people["archivist"]
    for n in (3, 1, 2):
        catalogue_item(app, by, archive_number=f"TZ-ZZ·2026-D10-XS-{n:05d}")
    client.login("archivist")
    text = client.get("/archive/items/?sort=number&q=TZ-ZZ").get_data(as_text=True)
    shown = [text.index(f"TZ-ZZ·2026-D10-XS-{n:05d}") for n in (1, 2, 3)]
    assert shown == sorted(shown)


def test_department_manager_sees_only_their_department(app, client, people):
    """The 客服 manager lists 客服部's items, not sales'."""
    by = people["archivist"]
    sales = catalogue_item(app, by)
    service = catalogue_item(app, by, dept=DeptCode.SERVICE)
    client.login("cs_mgr")
    assert _numbers(client) == {service.archive_number}
    assert sales.archive_number not in _numbers(client, q=sales.archive_number)


def test_export_has_every_catalogue_column(app, client, people):
    """The export carries 档号 to state, both hashes and the borrower, for the filtered list."""
    item = catalogue_item(app, people["archivist"], title="导出合同")
    client.login("archivist")
    rows = sheet(client.get("/archive/items/export.xlsx?q=导出"))
    header, row = rows[0], rows[1]
    named = (header[0], header[15], header[16], header[17], header[18])
    assert named == ("档号", "SHA-256", "SM3", "状态", "借阅人")
    assert (row[0], row[1], row[15], row[16], row[17]) == (
        item.archive_number, "导出合同", item.sha256, item.sm3, "在库")
    assert len(rows) == 2


def _loan(app, item, borrower, status: LoanStatus, method: LoanMethod, due_days: int) -> None:
    with app.app_context():
        user = db.session.get(User, borrower.id)
        loan = ArchiveLoan(borrower_id=user.id, borrower_department_id=user.department_id,
                           department_id=item.department_id, method=method, purpose="查阅",
                           days=7, confidentiality=item.confidentiality, status=status,
                           due_at=utcnow() + timedelta(days=due_days))
        loan.lines.append(ArchiveLoanItem(item_id=item.id))
        db.session.add(loan)
        db.session.commit()


def test_catalogue_shows_who_has_an_item_on_loan(app, client, people):
    """An open online loan and a paper loan out (even overdue) name their borrower; an
    expired online loan names nobody."""
    by = people["archivist"]
    online, paper, expired = (catalogue_item(app, by, title=t) for t in ("在线", "纸质", "过期"))
    _loan(app, online, people["sales1"], LoanStatus.APPROVED, LoanMethod.ONLINE, 3)
    _loan(app, paper, people["sales_mgr"], LoanStatus.LENT, LoanMethod.PAPER, -1)
    _loan(app, expired, people["sales1"], LoanStatus.APPROVED, LoanMethod.ONLINE, -1)
    client.login("archivist")
    rows = {row[0]: row[18] for row in sheet(client.get("/archive/items/export.xlsx"))[1:]}
    assert rows[online.archive_number] == "李晓明"
    assert rows[paper.archive_number] == "王建国"
    assert rows[expired.archive_number] is None


def test_a_filed_item_is_found_by_its_title(app, client, team):
    """Filing for real writes the item's title index in the filing's transaction."""
    item = filed_customer(app, team, name="滨江紫藤贸易有限公司")
    client.login("archivist")
    assert _numbers(client, q="紫藤") == {item.archive_number}


@pytest.mark.parametrize("dense", [False, True])
def test_both_search_plans_find_the_same_items(app, client, people, monkeypatch, dense):
    """Whether the matching ids drive the query (few matches) or the list is walked and each
    item tested (a frequent term), the same items are found by number, title and customer,
    and counted alike."""
    monkeypatch.setattr(search, "DENSE", 1 if dense else search.PROBE + 1)
    customer = make_customer(app, people["sales1"], name="远山精工有限公司")
    by = people["archivist"]
    found = {catalogue_item(app, by, title="远山维保合同").archive_number,
             catalogue_item(app, by, customer_id=customer.id).archive_number,
             catalogue_item(app, by, archive_number="TZ-YS·2031-D10-XS-00001").archive_number}
    catalogue_item(app, by, title="其他合同")
    client.login("archivist")
    assert _numbers(client, q="远山") == found - {"TZ-YS·2031-D10-XS-00001"}
    assert _numbers(client, q="TZ-YS") == {"TZ-YS·2031-D10-XS-00001"}
    text = client.get("/archive/items/", query_string={"q": "远山"}).get_data(as_text=True)
    assert "共 2 条" in text
