"""Office-grade Excel (issue 10, requirement 8): every export has columns fitted to their content
(CJK counted double, capped), a frozen header row, an auto-filter over the data, money and
dates as real numbers and dates in #,##0.00 and yyyy-mm-dd, a 合计 row where asked, and a file
name with the list, the date and the filter."""

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import unquote

from python_calamine import CalamineWorkbook
from werkzeug.datastructures import MultiDict

from app.blueprints._kit import export_names
from app.services.core.exports import MAX_WIDTH, Properties, display_width, write_xlsx
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.support import today

HEADERS = ["客户名称", "金额", "签订日期", "数量"]
ROWS = [("华信科技有限公司", Decimal("1234.50"), date(2026, 1, 15), 3),
        ("长" * 80, Decimal("10.00"), date(2026, 2, 1), 4)]


def _xml(data: bytes, part: str = "xl/worksheets/sheet1.xml") -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(part).decode()


def _rows(data: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def _widths(xml: str) -> list[float]:
    return [float(w) for w in re.findall(r'<col min="\d+" max="\d+" width="([\d.]+)"', xml)]


def test_columns_are_fitted_with_cjk_counted_double_and_capped(app):
    assert display_width("华信A") == 5
    xml = _xml(write_xlsx("客户", HEADERS, ROWS))
    widths = _widths(xml)
    assert widths[0] <= MAX_WIDTH + 1, "the 80-character name is capped"
    assert widths[1] >= len("1,234.50") and widths[2] >= 10
    short = _widths(_xml(write_xlsx("客户", HEADERS, ROWS[:1])))
    assert short[0] >= display_width("华信科技有限公司"), "CJK counted double"


def test_the_header_is_frozen_and_filtered(app):
    xml = _xml(write_xlsx("客户", HEADERS, ROWS))
    assert 'ySplit="1"' in xml and 'state="frozen"' in xml
    assert '<autoFilter ref="A1:D3"/>' in xml


def test_money_and_dates_are_numbers_and_dates_in_their_formats(app):
    moment = ("时刻", Decimal("1.000"), datetime(2026, 1, 2, 3, 4), None)
    data = write_xlsx("客户", HEADERS, [*ROWS, moment])
    styles = _xml(data, "xl/styles.xml")
    assert 'formatCode="#,##0.00"' in styles and 'formatCode="yyyy-mm-dd"' in styles
    rows = _rows(data)
    assert rows[1][1] == 1234.5 and isinstance(rows[1][1], float)
    assert rows[1][2] == date(2026, 1, 15)
    assert rows[3][2] == datetime(2026, 1, 2, 3, 4)


def test_a_totals_row_sums_the_named_columns_and_follows_the_filter(app):
    data = write_xlsx("客户", HEADERS, ROWS, totals=["金额", "数量", "不存在的列"])
    rows = _rows(data)
    assert rows[-1][0] == "合计" and rows[-1][1] == 1244.5 and rows[-1][3] == 7
    xml = _xml(data)
    assert "<f>SUBTOTAL(109,B2:B3)</f>" in xml
    assert '<autoFilter ref="A1:D3"/>' in xml, "the 合计 row stays out of the filter"


def test_notes_go_above_the_header_and_properties_name_the_author(app):
    data = write_xlsx("客户", HEADERS, ROWS, notes=["导出人：李晓明"],
                      properties=Properties(author="李晓明", comments="回访"))
    assert _rows(data)[0][0] == "导出人：李晓明" and _rows(data)[1] == HEADERS
    assert 'ySplit="2"' in _xml(data) and '<autoFilter ref="A2:D4"/>' in _xml(data)
    assert "<dc:creator>李晓明</dc:creator>" in _xml(data, "docProps/core.xml")


def test_file_names_carry_the_list_the_date_and_the_filter(app):
    day = today(app).isoformat()
    with app.test_request_context("/customers/export.xlsx?q=华信&sort=name&owner=5&after=x"):
        assert export_names("客户档案.xlsx", "customers.xlsx") == (
            f"客户档案-{day}-华信.xlsx", f"customers-{day}.xlsx")
        args = MultiDict([("q", 'a/b:"c"'), ("grade", "A")])
        name, fallback = export_names("客户档案.xlsx", "customers.xlsx", args=args)
        assert name == f"客户档案-{day}-a_b_c_-A.xlsx"
        assert fallback == f"customers-{day}-a_b_c-A.xlsx"


def test_an_export_response_is_named_in_utf8_with_an_ascii_fallback(client, app):
    people = make_people(app, "sales1")
    make_customer(app, people["sales1"], name="华信电话有限公司")
    client.login("sales1")
    disposition = client.get("/customers/export.xlsx?q=华信&grade=A").headers[
        "Content-Disposition"]
    day = today(app).isoformat()
    ascii_name = re.search(r'filename="([^"]+)"', disposition).group(1)
    utf8_name = unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1))
    assert ascii_name == f"customers-{day}-A.xlsx"
    assert utf8_name == f"客户档案-{day}-华信-A类(重点).xlsx", "a choice by its label"
