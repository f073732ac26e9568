"""The workbooks imports hand out: a template per ledger, a batch's failed rows, the batches."""

import io
from collections.abc import Iterable, Iterator

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.services.core.exports import neutralise, write_xlsx
from app.services.imports.base import Importer, cell_text
from app.services.imports.xlsx import BadFile, Unreadable, read_rows
from app.timeutil import to_local

_BOLD = Font(bold=True)
_REQUIRED = PatternFill("solid", fgColor="FFF2CC")
TEMPLATE_ROWS = 2000


def read_sheet(data: bytes) -> tuple[list, Iterator[tuple[int, list]]]:
    """(header row, the rows after it as (row number, values)) of an uploaded file; refuses a
    file that cannot be read or has no row at all."""
    rows = read_rows(data)
    first = next(rows, None)
    if first is None:
        raise BadFile(_("文件是空的：第一行应为表头，从第二行起每行一条记录。"))
    return first[1], rows


def records(rows: Iterable[tuple[int, list]],
            mapping: dict[int, str]) -> Iterator[tuple[int, dict]]:
    """The rows as (row number, {column key: value}), through the header's mapping."""
    for number, values in rows:
        width = len(values)
        yield number, {key: values[i] for i, key in mapping.items() if i < width}


def template(importer: Importer) -> bytes:
    """The ledger's template: the header row (required columns shaded), and a sheet of notes."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("导入模板")
    columns = [column for column in importer.columns if column.template]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = _BOLD
        if column.required:
            cell.fill = _REQUIRED
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 3)
        if column.text:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        _choice_list(sheet, importer, column, letter)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(_("填写说明"))
    notes.append([_("列名"), _("是否必填"), _("说明")])
    for column in columns:
        notes.append([column.header, _("必填") if column.required else _("选填"),
                      _note(column)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _note(column) -> str:
    """A column's hint, and the other header names it may be given under."""
    note = str(column.hint or "")
    if column.aliases:
        note += (" " if note else "") + _("（也可用列名：%(names)s）",
                                          names="、".join(column.aliases))
    return note


def _choice_list(sheet, importer: Importer, column, letter: str) -> None:
    """A drop-down of the allowed labels where the column has a short list of them."""
    labels = importer.choice_labels(column.key)
    formula = '"' + ",".join(labels) + '"'
    if labels and len(formula) <= 255:
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
        check.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(check)


def failed_rows(header: list, rows: Iterable[tuple[int, list]], failures: dict[int, str]) -> bytes:
    """The rows that failed, as uploaded, with their reason in an added last column."""
    width = len(header)
    reason_header = _("失败原因")

    def failed():
        for number, values in rows:
            if number in failures:
                cells = [str(v) if isinstance(v, Unreadable) else v for v in values]
                yield [*(cells + [None] * width)[:width], failures[number]]

    headers = [neutralise(cell_text(h)) for h in header] + [reason_header]
    return write_xlsx(_("导入失败的行"), headers, failed())


def batch_table(batches: Iterable, ledgers: dict) -> tuple[list[str], Iterator[tuple]]:
    """(headers, rows) of an export of import batches, as the batches list shows them."""
    headers = [_("批次"), _("台账"), _("文件"), _("上传人"), _("上传时间"), _("状态"),
               _("遇到已有记录"), _("读取行数"), _("新增"), _("更新"), _("跳过"), _("失败")]
    rows = ((f"#{b.id}", str(ledgers.get(b.ledger, b.ledger)), b.filename, b.created_by.full_name,
             to_local(b.created_at).strftime("%Y-%m-%d %H:%M"), b.status, b.duplicate_rule,
             b.total_rows, b.created, b.updated, b.skipped, b.failed) for b in batches)
    return headers, rows
