"""Reading uploaded spreadsheets: .xlsx (Excel, WPS), .xls (Excel 97-2003, WPS) and .ods
(LibreOffice, WPS), the first sheet row by row, through python-calamine (a Rust reader, about
five times faster than the ElementTree reader it replaced).

calamine builds the sheet whole in memory and trusts the file's sizes and positions, so each
file first passes its format's guard (xlsxscan, odsscan, xlsscan; zipguard for the zipped ones):
bounded unpacking, a bounded grid, and the cells calamine would read as blank although they
hold a formula without its result or an error value (marked, to fail their row). The format is
judged by the content, never by the name.

Values come as the importers know them: text, int (whole numbers), float, bool, datetime
(dates), time; a blank cell is None; a marked cell is an Unreadable.
"""

import io
from collections.abc import Iterator
from datetime import date, datetime

import python_calamine
from flask_babel import gettext as _

from app.services.imports import odsscan, xlsscan, xlsxscan, zipguard
from app.services.imports.errors import (
    BadFile,
    Unreadable,
    damaged,
    not_a_workbook,
    out_of_range_value,
)
from app.services.imports.xlsxscan import Marks

__all__ = ["BadFile", "Unreadable", "inspect", "read_rows"]


def inspect(data: bytes) -> Marks:
    """Judges the format by content and runs its guard; returns the first sheet's marks.
    Refuses (BadFile) anything calamine should not be given."""
    if data.startswith(xlsscan.OLE_MAGIC):
        return xlsscan.inspect(data)
    if not data.startswith(b"PK\x03\x04"):
        raise not_a_workbook()
    archive = zipguard.open_zip(data)
    if odsscan.is_ods(archive):
        return odsscan.inspect(archive)
    names = set(archive.namelist())
    if "xl/workbook.bin" in names:
        raise BadFile(_("暂不支持 Excel 二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx 后上传。"))
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_a_workbook()
    return xlsxscan.inspect(archive)


def _first_sheet(data: bytes):
    """The first sheet as calamine reads it; its failures in the user's words."""
    try:
        book = python_calamine.load_workbook(io.BytesIO(data))
        if not book.sheet_names:
            raise BadFile(_("工作簿中没有工作表。"))
        return book.get_sheet_by_index(0)
    except python_calamine.PasswordError as error:
        raise BadFile(_("文件设置了打开密码，请取消密码后再上传。")) from error
    except python_calamine.CalamineError as error:
        raise damaged() from error
    except BaseException as error:
        if not _panicked(error):
            raise
        raise damaged() from error


def _panicked(error: BaseException) -> bool:
    """A Rust panic reaches Python as pyo3's PanicException, a BaseException."""
    return type(error).__name__ == "PanicException"


def _sheet_rows(sheet) -> Iterator[list | None]:
    """calamine's rows; None for a row holding a value Python cannot (a duration of billions of
    days): calamine has moved past it, the rows after it are read."""
    rows = sheet.iter_rows()
    while True:
        try:
            yield next(rows)
        except StopIteration:
            return
        except BaseException as error:
            if not isinstance(error, OverflowError | ValueError) and not _panicked(error):
                raise
            yield None


def _clean(values: list) -> list:
    """calamine's cells as the importers take them, in place: "" is blank (None), a whole
    number an int (a phone typed as a number), a date a datetime; trailing blanks dropped."""
    for index, value in enumerate(values):
        kind = type(value)
        if kind is str:
            if not value:
                values[index] = None
        elif kind is float:
            if value.is_integer():
                values[index] = int(value)
        elif kind is date:
            values[index] = datetime(value.year, value.month, value.day)
    while values and values[-1] is None:
        values.pop()
    return values


def _marked(values: list, marks: dict[int, object]) -> list:
    for column, mark in marks.items():
        if column >= len(values):
            values.extend([None] * (column - len(values) + 1))
        values[column] = mark
    return values


def _blank(values: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_rows(data: bytes) -> Iterator[tuple[int, list]]:
    """(row number, values) of each non-blank row of the first sheet, header row included;
    refuses (BadFile) a file that cannot be read, before the first row."""
    marks = inspect(data)
    sheet = _first_sheet(data)
    return _rows(sheet, marks)


def _rows(sheet, marks: Marks) -> Iterator[tuple[int, list]]:
    start = sheet.start  # None: the sheet has no cell calamine keeps
    number = 0
    if start is not None:
        pad = [None] * start[1]  # calamine's rows begin at the first used column
        for number, values in enumerate(_sheet_rows(sheet), start=1):
            if values is None:
                values = [out_of_range_value()] * sheet.width
            row = _clean(pad + values if pad else values)
            if number - 1 in marks:
                row = _marked(row, marks[number - 1])
            if not _blank(row):
                yield number, row
    for index in sorted(i for i in marks if i >= number):  # rows calamine found empty
        yield index + 1, _marked([], marks[index])
