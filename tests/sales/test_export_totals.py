"""Sales exports laid out for office use (issue 10, requirement 8): where the page shows totals
(receivables aging, open terms, the sales ledger, contract statistics) the workbook ends with a
合计 row of SUBTOTAL formulas that equal the rows' sum; amounts are numbers, dates are dates;
every export's file name carries the date."""

import io
import re
import zipfile
from datetime import date

from python_calamine import CalamineWorkbook

from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.sales import make_contract, make_entry, make_payment
from tests.support import today


def _download(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.data)).get_sheet_by_index(0)
    xml = zipfile.ZipFile(io.BytesIO(response.data)).read("xl/worksheets/sheet1.xml").decode()
    return response, rows.to_python(), xml


def _world(app):
    people = make_people(app, "seller", named=("seller",))
    for name, advance in (("华信有限公司", "300.00"), ("长江有限公司", "200.50")):
        contract = make_contract(app, make_customer(app, people["seller"], name=name),
                                 terms=(("advance", advance, -40), ("acceptance", "10.00", 5)))
        make_payment(app, contract, "100.00")
        make_entry(app, contract, unit_price="150.00")
    return people


def test_receivables_aging_and_open_terms_end_with_totals(client, app):
    _world(app)
    client.login("seller")
    _response, rows, xml = _download(client, "/sales/receivables/export.xlsx")
    body, total = rows[1:-1], rows[-1]
    assert total[0] == "合计" and total[-1] == sum(r[-1] for r in body) == 320.5
    assert re.search(r"<f>SUBTOTAL\(109,[A-Z]+2:[A-Z]+3\)</f>", xml)
    assert all(isinstance(value, float) for value in body[0][3:])
    _response, rows, _xml = _download(client, "/sales/receivables/export.xlsx?view=customer"
                                              f"&customer={_first_customer(client)}")
    assert rows[-1][0] == "合计"


def _first_customer(client) -> str:
    page = client.get("/sales/receivables/").get_data(as_text=True)
    return re.search(r"customer=(\d+)", page).group(1)


def test_the_sales_ledger_totals_paid_and_owed_with_real_dates(client, app):
    _world(app)
    client.login("seller")
    _response, rows, _xml = _download(client, "/sales/ledger/export.xlsx")
    headers, body, total = rows[0], rows[1:-1], rows[-1]
    paid, owed = headers.index("已付货款"), headers.index("欠款")
    assert total[0] == "合计" and total[paid] == sum(r[paid] for r in body)
    assert total[owed] == sum(r[owed] for r in body)
    assert isinstance(body[0][0], date)


def test_every_sales_export_is_named_with_its_date(client, app):
    _world(app)
    client.login("seller")
    day = today(app).isoformat()
    for url in ("/sales/receivables/export.xlsx", "/sales/ledger/export.xlsx",
                "/sales/statistics/export.xlsx", "/sales/contracts/export.xlsx",
                "/sales/referrals/export.xlsx", "/sales/ownership/export.xlsx",
                "/sales/visits/export.xlsx", "/sales/imports/export.xlsx",
                f"/sales/results/export.xlsx?month={day[:7]}"):
        disposition = client.get(url).headers["Content-Disposition"]
        assert disposition.count(day) == 2, (url, disposition)
