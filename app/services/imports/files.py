"""The workbooks imports hand out: a template per ledger and a batch's failed rows."""

import io
from collections.abc import Iterator

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.services.exports import write_xlsx
from app.services.imports.base import Importer, cell_text
from app.services.imports.xlsx import BadFile, read_rows

_BOLD = Font(bold=True)
_REQUIRED = PatternFill("solid", fgColor="FFF2CC")
TEXT_COLUMNS = ("phone", "id_number")  # kept as text so Excel does not round long numbers
TEMPLATE_ROWS = 2000


def table(importer: Importer, data: bytes) -> tuple[list, dict[int, str], Iterator]:
    """(header row, {cell index: column key}, rows as (row number, {key: value})) of a file;
    refuses a file that cannot be read or whose header lacks a required column."""
    rows = read_rows(data)
    first = next(rows, None)
    if first is None:
        raise BadFile(_("文件是空的：第一行应为表头，从第二行起每行一条记录。"))
    header = first[1]
    mapping = importer.map_headers(header)

    def records():
        for number, values in rows:
            yield number, {key: values[i] for i, key in mapping.items() if i < len(values)}

    return header, mapping, records()


def template(importer: Importer) -> bytes:
    """The ledger's template: the header row (required columns shaded), and a sheet of notes."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("导入模板")
    for index, column in enumerate(importer.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = _BOLD
        if column.required:
            cell.fill = _REQUIRED
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 3)
        if column.key in TEXT_COLUMNS:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        _choice_list(sheet, importer, column, letter)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(_("填写说明"))
    notes.append([_("列名"), _("是否必填"), _("说明")])
    for column in importer.columns:
        notes.append([column.header, _("必填") if column.required else _("选填"),
                      str(column.hint or "")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _choice_list(sheet, importer: Importer, column, letter: str) -> None:
    """A drop-down of the allowed labels where the column has a short list of them."""
    labels = importer.choice_labels(column.key)
    formula = '"' + ",".join(labels) + '"'
    if labels and len(formula) <= 255:
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
        check.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(check)


def failed_rows(importer: Importer, data: bytes, failures: dict[int, str]) -> bytes:
    """The rows that failed, as uploaded, with their reason in an added last column."""
    header, _mapping, _records = table(importer, data)
    width = len(header)
    reason_header = _("失败原因")

    def rows():
        for number, values in read_rows(data):
            if number in failures:
                yield [*(list(values) + [None] * width)[:width], failures[number]]

    return write_xlsx(_("导入失败的行"), [cell_text(h) for h in header] + [reason_header], rows())
