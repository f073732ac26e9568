"""What calamine would do with an .xlsx sheet, found out before it does it.

calamine builds a sheet as one dense grid from its top-left to its bottom-right cell: two cells at
A1 and XFD1048576 in a 2 KB file ask for 550 GB, and a failed allocation aborts the whole worker
process (no exception to catch). So every part of the archive is scanned for cell positions first
and the file is refused when a sheet's grid would exceed MAX_CELLS or a position lies outside
Excel's grid. The scan also finds the cells calamine reads as blank although they are not: a
formula saved without its result (openpyxl, XlsxWriter and other writers do not calculate) and
an error value (#DIV/0!), so that they fail their row instead of being imported as empty.

The usual sheet (unprefixed elements, every cell with its r="B7") costs two regular-expression
passes, and one over its formula or error cells where it has some (_Quick). Anything else (a cell
without a position, a prefixed element) gets a second pass that follows calamine's own
positioning tag by tag (_Walk).
"""

import posixpath
import pyexpat
import re
import xml.etree.ElementTree as ET
import zipfile
from xml.sax.saxutils import unescape

from flask_babel import gettext as _

from app.services.imports import zipguard
from app.services.imports.errors import (
    BadFile,
    damaged,
    error_value,
    no_result,
    out_of_range,
    too_wide,
)

MAX_CELLS = 5_000_000  # 100,000 rows of 50 columns; calamine keeps about 32 bytes a cell
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's grid: A1 to XFD1048576
SAFE_EXPAT = pyexpat.version_info >= (2, 4, 1)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A cell's column letters, and its row digits: two single-group passes cost half of one pass
# that builds a tuple per cell.
_COLUMN = re.compile(rb'<c(?=[\s>/])(?:[^>]*?\sr="([A-Za-z]*))?')
_ROW = re.compile(rb'<c(?=[\s>/])(?:[^>]*?\sr="[A-Za-z]*(\d*))?')
_PREFIXED = re.compile(rb":(?:c|row|f|v)[\s>/]")  # calamine takes <x:c> too: walked
_FORMULA = re.compile(rb"<f[\s>/]")
_FORMULA_CELL = re.compile(rb"<c\s([^>]*[^>/])>\s*<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)"
                           rb"\s*(?:<v>([^<]+)</v>)?")
_ERROR_CELL = re.compile(rb'<c\s([^>]*\st="e"[^>]*)>(?:\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>))?'
                         rb"\s*<v>([^<]*)</v>")
_TOKEN = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c|f|v)(?=[\s>/])([^>]*?)(/?)>")
_R = re.compile(rb'\sr="([A-Za-z]*)(\d*)"')
_ERROR_TYPE = re.compile(rb'\st="e"')

ROW = b"<row"  # parts are cut before a row, so that a cell never straddles two pieces
Marks = dict[int, dict[int, object]]  # {row index: {column index: value}}, 0-based


def column_number(letters: bytes) -> int:
    """1-based column of "A", "xfd" (calamine takes either case); 0 for none."""
    number = 0
    for letter in letters.upper()[:8]:  # 8 letters are past any grid already
        number = number * 26 + letter - 64
    return number


def _position(letters: bytes, digits: bytes) -> tuple[int, int]:
    """0-based (row, column) of a reference; refuses one outside Excel's grid."""
    row, column = int(digits or b"0"), column_number(letters)
    if column == 0:
        raise damaged()  # calamine refuses a reference without its column too
    if not 0 < row <= MAX_ROWS or column > MAX_COLUMNS:
        raise out_of_range((letters + digits).decode("ascii", "replace")[:20])
    return row - 1, column - 1


class Extent:
    """The grid calamine allocates for one sheet: from A1 (at most) to the furthest cell."""

    def __init__(self):
        self.rows = self.columns = 0

    def add(self, row: int, column: int) -> None:
        self.rows, self.columns = max(self.rows, row + 1), max(self.columns, column + 1)

    def check(self) -> None:
        if self.rows * self.columns > MAX_CELLS:
            raise too_wide(MAX_CELLS)


class _Quick:
    """The usual sheet in one pass: every cell unprefixed and with its r="B7". Anything else
    (a cell without a position, a prefixed element) leaves `walk_needed` for the _Walk."""

    def __init__(self, marking: bool):
        self.extent, self.marking = Extent(), marking
        self.marks: Marks = {}
        self.walk_needed = False

    def feed(self, piece: bytes) -> None:
        if self.walk_needed:
            return
        if _PREFIXED.search(piece):
            self.walk_needed = True
            return
        columns = set(_COLUMN.findall(piece))  # a sheet has few distinct columns
        if columns:
            self._extend(columns, _ROW.findall(piece))
        if self.marking and _FORMULA.search(piece):
            for attrs, formula, value in _FORMULA_CELL.findall(piece):
                if not value:
                    self._mark(attrs, no_result("=" + _text(formula)))
        if self.marking and b't="e"' in piece:
            for attrs, value in _ERROR_CELL.findall(piece):
                self._mark(attrs, error_value(_text(value)))

    def _extend(self, columns: set, rows: list) -> None:
        if b"" in columns or b"" in rows:
            self.walk_needed = True
            return
        widest = max(columns, key=lambda c: (len(c), c.upper()))
        last = max(map(int, rows))
        if column_number(widest) > MAX_COLUMNS or last > MAX_ROWS:
            raise out_of_range(_far(columns, last))
        self.extent.add(last - 1, column_number(widest) - 1)

    def _mark(self, attrs: bytes, mark) -> None:
        found = _R.search(attrs)
        if found is None:
            self.walk_needed = True
            return
        row, column = _position(*found.groups())
        self.marks.setdefault(row, {})[column] = mark


def _far(columns: set, last: int) -> str:
    """A reference past Excel's grid, for the message."""
    widest = max(columns, key=lambda c: (len(c), c.upper())).decode("ascii", "replace")
    return f"{widest[:10]}{last}" if last > MAX_ROWS else f"{widest[:10]}…"


class _Walk:
    """Follows calamine's positioning (a cell's r, else the row's r and the cells before it)
    tag by tag, noting formulas without a result and error values."""

    def __init__(self):
        self.extent, self.marks = Extent(), {}
        self.row = self.column = 0
        self.cell: tuple[int, int] | None = None
        self.formula = self.value = None
        self.error = False

    def feed(self, piece: bytes) -> None:
        for match in _TOKEN.finditer(piece):
            closing, name, attrs, empty = match.groups()
            if closing:
                self._close(name)
            elif name == b"row" and not empty:
                found = _R.search(attrs)
                if found and found.group(2):
                    self.row = _position(b"A", found.group(2))[0]
            elif name == b"c" and not empty:  # calamine skips <c/>: no value, no position
                self._open_cell(attrs)
            elif self.cell is not None and name in (b"f", b"v"):
                text = b"" if empty else piece[match.end():piece.find(b"<", match.end())]
                if name == b"f":
                    self.formula = text
                elif text:
                    self.value = text

    def _open_cell(self, attrs: bytes) -> None:
        found = _R.search(attrs)
        if found:
            row, self.column = _position(found.group(1), found.group(2))
        else:
            row = self.row
        self.cell = (row, self.column)
        self.extent.add(row, self.column)
        self.formula = self.value = None
        self.error = _ERROR_TYPE.search(attrs) is not None

    def _close(self, name: bytes) -> None:
        if name == b"row":
            self.row, self.column = self.row + 1, 0
        elif name == b"c" and self.cell is not None:
            mark = None
            if self.formula is not None and self.value is None:
                mark = no_result("=" + _text(self.formula))
            elif self.error and self.value is not None:
                mark = error_value(_text(self.value))
            if mark is not None:
                self.marks.setdefault(self.cell[0], {})[self.cell[1]] = mark
            self.cell, self.column = None, self.column + 1


def _text(raw: bytes) -> str:
    return unescape(raw.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})


def first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The part of the workbook's first sheet (the one calamine reads), as the relationships
    name it; None if the workbook names none."""
    if not SAFE_EXPAT:
        raise BadFile(_("服务器的 XML 解析库版本过旧，暂不能导入，请联系信息部。"))
    try:  # two small parts; expat >= 2.4.1 caps entity expansion, no external entities
        book = ET.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
        sheet = book.find(f"{MAIN}sheets/{MAIN}sheet")
    except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError) as error:
        raise damaged() from error
    if sheet is None:
        return None
    for rel in rels.iter(f"{PKG_REL}Relationship"):
        if rel.get("Id") == sheet.get(f"{REL}id"):
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    raise damaged()


def inspect(archive: zipfile.ZipFile) -> Marks:
    """Checks every part of an .xlsx (sizes, checksums, sheet extents) and returns the marks
    of the first sheet: {row: {column: Unreadable or error text}}."""
    first = first_sheet(archive)
    marks: Marks = {}

    def scan(info: zipfile.ZipInfo, pieces) -> None:
        is_first = info.filename == first
        quick = _Quick(marking=is_first)
        for piece in pieces:
            quick.feed(piece)
        quick.extent.check()
        found = quick.marks
        if quick.walk_needed:
            walk = _Walk()
            for piece in zipguard.pieces(archive, info, cut=ROW):
                walk.feed(piece)
            walk.extent.check()
            found = walk.marks
        if is_first:
            marks.update(found)

    zipguard.verify(archive, scan, cut=ROW)
    return marks
