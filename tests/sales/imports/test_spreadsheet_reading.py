"""The spreadsheet reader (python-calamine behind its guards): .xlsx, .xls and .ods read alike;
every malformed or hostile file is refused with a message for the user (BadFile), never an
exception, a MemoryError or an aborted process; a cell whose value the file does not hold is
an Unreadable that fails its row only."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from app.services.imports import kept, xlsxscan, zipguard
from app.services.imports.errors import Unreadable
from app.services.imports.xlsx import BadFile, read_rows
from tests.sales.imports.crafted import (
    cell,
    customers,
    edited,
    ods,
    understated,
    wrong_checksum,
    xls,
    xls_dimensions,
)


def _refused(data: bytes, message: str) -> None:
    with pytest.raises(BadFile) as refused:
        list(read_rows(data))
    assert message in refused.value.message


def _rows(data: bytes) -> list:
    return list(read_rows(data))


def test_a_part_whose_checksum_is_wrong_is_refused_as_damaged():
    _refused(wrong_checksum(customers()), "文件已损坏")


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused():
    _refused(understated(customers()), "文件内容过大")


def test_parts_declared_larger_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(zipguard, "MAX_UNPACKED", 1000)
    _refused(customers(), "文件内容过大")


def test_a_cell_reference_without_letters_is_refused_as_damaged():
    _refused(edited(customers(), lambda x: x.replace(b'r="A2"', b'r="2"')), "文件已损坏")


def test_a_cell_reference_in_lower_case_is_read_as_upper_case():
    rows = _rows(edited(customers(), lambda x: x.replace(b'r="A2"', b'r="a2"')))
    assert rows[1][1][0] == "导入测试1有限公司"


@pytest.mark.parametrize("ref", ["XFE2", "ZZZZZZZZZZZZZZZZ2", "A1048577", "A99999999999"])
def test_a_cell_reference_beyond_excels_grid_is_refused_not_allocated(ref):
    """XFD1048576 is Excel's last cell; a tiny file naming one past it allocates nothing."""
    _refused(edited(customers(), lambda x: x.replace(b'r="A2"', f'r="{ref}"'.encode())),
             "超出了 Excel 工作表的范围")


def test_a_grid_larger_than_the_limit_is_refused_before_calamine_allocates_it():
    """A1 and XFD1048576 in a 6 KB file would ask calamine for 550 GB (an abort, not an
    exception); past MAX_CELLS the file is refused first."""
    far = edited(customers(), lambda x: x.replace(b'r="B2"', b'r="XFD1048576"'))
    _refused(far, "有内容的区域超过")


def test_cells_without_a_position_are_placed_as_calamine_places_them(monkeypatch):
    """r is optional: a cell without it follows the cell before it, a row without it the row
    before it; the guard counts them the same way."""
    rows = _rows(edited(customers(), lambda x: x.replace(b' r="B2"', b"").replace(
        b'<row r="3">', b"<row>")))
    assert rows[1][1][:2] == ["导入测试1有限公司", "王经理"] and rows[2][0] == 3
    monkeypatch.setattr(xlsxscan, "MAX_CELLS", 20)
    _refused(edited(customers(), lambda x: x.replace(b' r="B2"', b"")), "有内容的区域超过")


def test_an_out_of_range_date_serial_is_read_as_its_number():
    book = Workbook()
    book.active.append(["首次接触时间"])
    book.active.append([2958466])  # 10000-01-01: past any date
    book.active["A2"].number_format = "yyyy-mm-dd"
    book.active.append([45658])
    book.active["A3"].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    assert [values for _n, values in _rows(buffer.getvalue())[1:]] == [
        [2958466], [datetime(2025, 1, 1)]]


def test_a_formula_reads_as_its_cached_value_or_without_one_as_unreadable():
    data = edited(customers(), cell("C2", '<c r="C2"><f>1+2</f><v>13900001111</v></c>'))
    data = edited(data, cell("B2", '<c r="B2"><f>CONCAT("王","经理")</f><v/></c>'))
    values = _rows(data)[1][1]
    assert values[2] == 13900001111
    assert isinstance(values[1], Unreadable) and str(values[1]) == '=CONCAT("王","经理")'
    assert "没有保存它的计算结果" in values[1].problem


def test_a_row_holding_only_formulas_without_values_is_still_read():
    """calamine drops a row whose cells are all formulas without a value; it is not lost."""
    book = Workbook()
    book.active.append(["客户名称", "联系电话"])
    book.active.append(["甲", "1"])
    book.active.append(["=A2", "=B2"])  # openpyxl stores no result
    buffer = io.BytesIO()
    book.save(buffer)
    rows = _rows(buffer.getvalue())
    assert [n for n, _v in rows] == [1, 2, 3]
    assert all(isinstance(v, Unreadable) for v in rows[2][1])


def test_an_error_value_is_unreadable():
    data = edited(customers(), cell("C2", '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))
    value = _rows(data)[1][1][2]
    assert isinstance(value, Unreadable) and str(value) == "#DIV/0!"


def test_an_ods_file_is_read_like_an_xlsx():
    data = ods([["客户名称", "联系电话", "首次接触时间"],
                ["甲公司", 13900001111,
                 '<table:table-cell office:value-type="date" office:date-value="2025-03-01">'
                 "<text:p>2025-03-01</text:p></table:table-cell>"],
                [None, None, None],
                ['<table:table-cell table:number-columns-repeated="2" office:value-type='
                 '"string"><text:p>乙</text:p></table:table-cell>']])
    assert _rows(data) == [(1, ["客户名称", "联系电话", "首次接触时间"]),
                           (2, ["甲公司", 13900001111, datetime(2025, 3, 1)]),
                           (4, ["乙", "乙"])]


def test_an_ods_whose_repeats_exceed_the_limit_is_refused():
    """One cell repeated 16,384 times in a row repeated a million times: a few hundred bytes
    that calamine would turn into gigabytes."""
    huge = ('<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
            'table:number-columns-repeated="16384" office:value-type="string"><text:p>x'
            "</text:p></table:table-cell></table:table-row>")
    _refused(ods([["客户名称"]], tail=huge), "有内容的区域超过")


def test_an_ods_formula_without_a_stored_result_is_unreadable():
    data = ods([["客户名称", "联系电话"],
                ["甲", '<table:table-cell table:formula="of:=1+2"/>']])
    value = _rows(data)[1][1][1]
    assert isinstance(value, Unreadable) and str(value) == "=1+2"


def test_a_genuine_xls_file_is_read():
    data = xls([["客户名称", "联系电话", "首次接触时间"], ["甲公司", 13900001111, "2025-03-01"]])
    assert _rows(data) == [(1, ["客户名称", "联系电话", "首次接触时间"]),
                           (2, ["甲公司", 13900001111, "2025-03-01"])]


def test_an_xls_whose_dimensions_record_claims_terabytes_is_refused():
    """calamine reserves what DIMENSIONS declares when it opens the file: the failed
    allocation would abort the worker process."""
    _refused(xls_dimensions(xls([["客户名称"], ["甲"]]), 0xFFFFFFF0), "有内容的区域超过")


def test_an_xls_with_cells_far_apart_is_refused():
    _refused(xls([["客户名称"], ["甲"]], far=(65535, 255)), "有内容的区域超过")


@pytest.mark.parametrize(("data", "message"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "旧版 Excel（.xls）文件已损坏"),
    (b"PK\x03\x04" + b"\0" * 100, "文件已损坏"),
    (b"%PDF-1.7", "文件不是 Excel（.xlsx）工作簿"),
])
def test_damaged_files_of_each_format_are_refused(data, message):
    _refused(data, message)


def test_an_xlsb_is_refused_with_what_to_do():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\0")
    _refused(buffer.getvalue(), "另存为 .xlsx")


def test_kept_rows_come_back_as_they_were_read():
    rows = [(2, ["甲", 13900001111, 1.5, True, datetime(2025, 1, 2, 3, 4), None]),
            (5, [None, date(2025, 1, 2), Unreadable("=A1", "「%(column)s」无结果")])]
    packer = kept.Packer(["客户名称", "联系电话"])
    packer.add(rows)
    header, back = kept.unpack(packer.packed())
    assert header == ["客户名称", "联系电话"] and list(back) == rows


def test_a_value_python_cannot_hold_makes_its_row_unreadable_not_the_file():
    """A duration of billions of days overflows Python's timedelta (or panics in calamine):
    that row is unreadable, the rows after it are read."""
    book = Workbook()
    book.active.append(["时长", "客户名称"])
    book.active.append([1e15, "甲"])
    book.active["A2"].number_format = "[h]:mm:ss"
    book.active.append([None, "乙"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = _rows(buffer.getvalue())
    assert all(isinstance(v, Unreadable) for v in rows[1][1]) and rows[2] == (3, [None, "乙"])
