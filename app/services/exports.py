"""Excel exports: every list can be taken out exactly as its page shows it (same scope, same
masking), streamed through openpyxl's write-only mode, with formula injection neutralised."""

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# A cell beginning with one of these is read by spreadsheets as a formula (CSV/formula injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BOLD = Font(bold=True)


def neutralise(value):
    """Plain cell value: enums as their labels, formulas defused with a leading apostrophe."""
    if isinstance(value, Enum):
        value = str(getattr(value, "label", value.value))
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    if isinstance(value, Decimal | int | float | date | datetime) or value is None:
        return value
    return str(value)


def write_xlsx(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The workbook as bytes; rows are consumed one at a time (constant memory per row)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title[:31])
    header_cells = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = _BOLD
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    with tempfile.TemporaryFile() as buffer:
        book.save(buffer)
        buffer.seek(0)
        return buffer.read()
