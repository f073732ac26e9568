"""What calamine would do with an .ods (LibreOffice, WPS) file, found out before it does it.

calamine reads every table of content.xml at once and repeats each cell and row as often as
table:number-columns-repeated / number-rows-repeated say, copying its text each time: a few
bytes can ask for gigabytes (calamine's own cap is 100 million cells). So the tables are walked
here first, with the repeats, and the file is refused when their non-empty area would exceed
MAX_CELLS or the repeated text MAX_UNPACKED. A formula cell without a stored result and an error
result are marked, so that they fail their row instead of being read as empty (or as 0).
"""

import re
import zipfile
from collections.abc import Iterable

from app.services.imports import zipguard
from app.services.imports.errors import damaged, error_value, no_result, too_large, too_wide
from app.services.imports.xlsxscan import MAX_CELLS, Marks

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TOKEN = re.compile(rb"<(/?)(table:table-row|table:table-cell|table:covered-table-cell|"
                    rb"table:table|text:s)(?=[\s>/])([^>]*?)/?>")
_COLUMNS = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ROWS = re.compile(rb'table:number-rows-repeated="(\d+)"')
_SPACES = re.compile(rb'text:c="(\d+)"')
_FORMULA = re.compile(rb'table:formula="([^"]*)"')
_PARAGRAPH = re.compile(rb"<text:p[^>]*>([^<]*)")
MAX_SPACES = 10_000  # <text:s text:c="…"/>: calamine writes that many spaces


def _until(piece: bytes, end: int) -> int:
    """Where the cell that starts at `end` closes (or the piece ends)."""
    found = piece.find(b"</table:", end)
    return len(piece) if found < 0 else found


def _count(pattern: re.Pattern, attrs: bytes) -> int:
    found = pattern.search(attrs)
    return int(found.group(1)) if found else 1


class _Table:
    """One table's non-empty area and repeated text, row by row."""

    def __init__(self):
        self.row = 0  # the next row's index, repeats counted
        self.first = self.last = None  # first and last non-empty rows
        self.width = 0
        self.text = 0  # bytes of the non-empty cells once repeated

    def area(self) -> int:
        return 0 if self.first is None else (self.last - self.first + 1) * self.width


class _Walk:
    def __init__(self):
        self.tables: list[_Table] = []
        self.marks: Marks = {}
        self.repeat = 1
        self.column = 0
        self.cells_text = 0
        self.filled = False

    @property
    def table(self) -> _Table:
        return self.tables[-1]

    def feed(self, piece: bytes) -> None:
        for match in _TOKEN.finditer(piece):
            closing, name, attrs = match.groups()
            if name == b"table:table" and not closing:
                self.tables.append(_Table())
            elif not self.tables:
                continue
            elif name == b"table:table-row":
                self._row(closing, attrs)
            elif name == b"text:s" and _count(_SPACES, attrs) > MAX_SPACES:
                raise too_large()
            elif name != b"text:s" and not closing:
                self._cell(attrs, piece, match.end())
        self._check()

    def _row(self, closing: bytes, attrs: bytes) -> None:
        table = self.table
        if not closing:
            self.repeat, self.column = _count(_ROWS, attrs), 0
            self.cells_text, self.filled = 0, False
            return
        if self.filled:
            if table.first is None:
                table.first = table.row
            table.last = table.row + self.repeat - 1
            table.text += self.repeat * self.cells_text
            self._check()  # before the marks of a repeated row are repeated
            marked = self.marks.get(table.row) if len(self.tables) == 1 else None
            for row in range(table.row + 1, table.row + self.repeat) if marked else ():
                self.marks[row] = dict(marked)
        table.row += self.repeat

    def _cell(self, attrs: bytes, piece: bytes, end: int) -> None:
        repeat = _count(_COLUMNS, attrs)
        formula = _FORMULA.search(attrs)
        if b"office:" in attrs or formula:  # calamine keeps it: a value or a formula
            self.filled = True
            self.table.width = max(self.table.width, self.column + repeat)
            self.cells_text += repeat * (len(attrs) + _until(piece, end) - end)
            mark = self._mark(attrs, formula, piece, end)
            if mark is not None and len(self.tables) == 1:
                for column in range(self.column, min(self.column + repeat, MAX_CELLS)):
                    self.marks.setdefault(self.table.row, {})[column] = mark
        self.column += repeat

    @staticmethod
    def _mark(attrs: bytes, formula, piece: bytes, end: int):
        if formula and b"office:value-type=" not in attrs:
            return no_result(formula.group(1).decode("utf-8", "replace").removeprefix("of:"))
        if b'calcext:value-type="error"' in attrs:
            shown = _PARAGRAPH.search(piece, end, _until(piece, end))
            return error_value(shown.group(1).decode("utf-8", "replace") if shown else "#ERR")
        return None

    def _check(self) -> None:
        if sum(table.area() for table in self.tables) > MAX_CELLS:
            raise too_wide(MAX_CELLS)
        if sum(table.text for table in self.tables) > zipguard.MAX_UNPACKED:
            raise too_large()


def is_ods(archive: zipfile.ZipFile) -> bool:
    """Whether the archive says it is an OpenDocument spreadsheet (its mimetype part)."""
    try:
        return archive.read("mimetype").strip() == ODS_MIMETYPE
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return False


def inspect(archive: zipfile.ZipFile) -> Marks:
    """Checks every part of an .ods (sizes, checksums, the tables' extents) and returns the marks
    of the first table: {row: {column: Unreadable}}, repeats counted."""
    walk = _Walk()
    found = False

    def scan(info: zipfile.ZipInfo, pieces: Iterable[bytes]) -> None:
        nonlocal found
        if info.filename == "content.xml":
            found = True
            for piece in pieces:
                walk.feed(piece)

    zipguard.verify(archive, scan, cut=b"<table:table-row")
    if not found:
        raise damaged()
    return walk.marks
