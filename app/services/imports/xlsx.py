"""Reading uploaded .xlsx files: a content check and a streaming reader of the first sheet.

openpyxl's read-only mode spends about 25 µs per cell, too slow for 100,000-row ledgers read
twice (dry run, then the job); this reader walks the sheet's XML with ElementTree's C parser,
one row at a time (memory bounded by the shared strings and one row), and leaves date formats
to openpyxl's helpers. Excel, WPS and LibreOffice files use shared or inline strings alike.

Untrusted XML (S314): ElementTree never fetches external entities, and expat >= 2.4.1 caps
entity expansion (billion laughs, quadratic blow-up); older expat refuses to read uploads.
"""

import io
import posixpath
import pyexpat
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from datetime import datetime

from flask_babel import gettext as _
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.datetime import from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A zip bomb stops here: the XML a legitimate 10 MB workbook holds is far smaller.
MAX_UNPACKED = 400 * 1024 * 1024
# Built-in number formats that are dates (ECMA-376 18.8.30, with the CJK ids 27-36, 50-58).
DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)}
_LETTERS = re.compile(r"[A-Z]+")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAFE_EXPAT = pyexpat.version_info >= (2, 4, 1)


class BadFile(Exception):
    """The upload is not a readable .xlsx workbook; `message` says why, in the user's words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def open_workbook(data: bytes) -> zipfile.ZipFile:
    """The workbook's zip archive; refuses anything that is not an .xlsx by its content."""
    if not SAFE_EXPAT:
        raise BadFile(_("服务器的 XML 解析库版本过旧，暂不能导入，请联系信息部。"))
    if data.startswith(_OLE):
        raise BadFile(_("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再上传。"))
    if not data.startswith(b"PK\x03\x04"):
        raise BadFile(_("文件不是 Excel（.xlsx）工作簿，请下载模板填写后上传。"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise BadFile(_("文件已损坏，无法读取，请重新保存后上传。")) from error
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise BadFile(_("文件不是 Excel（.xlsx）工作簿，请下载模板填写后上传。"))
    if unpacked > MAX_UNPACKED:
        raise BadFile(_("文件内容过大，请拆分为多个文件后上传。"))
    return archive


def _parse(archive: zipfile.ZipFile, name: str) -> ET.Element:
    try:
        return ET.fromstring(archive.read(name))  # noqa: S314
    except (KeyError, ET.ParseError) as error:
        raise BadFile(_("文件已损坏，无法读取，请重新保存后上传。")) from error


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The path of the workbook's first worksheet inside the archive."""
    sheet = _parse(archive, "xl/workbook.xml").find(f"{MAIN}sheets/{MAIN}sheet")
    if sheet is None:
        raise BadFile(_("工作簿中没有工作表。"))
    rels = _parse(archive, "xl/_rels/workbook.xml.rels")
    for rel in rels.iter(f"{PKG_REL}Relationship"):
        if rel.get("Id") == sheet.get(f"{REL}id"):
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    raise BadFile(_("文件已损坏，无法读取，请重新保存后上传。"))


def _text(item: ET.Element) -> str:
    """The text of a string item: plain <t> or rich-text runs; phonetic hints left out."""
    plain = item.find(f"{MAIN}t")
    if plain is not None:
        return plain.text or ""
    return "".join(run.findtext(f"{MAIN}t") or "" for run in item.iter(f"{MAIN}r"))


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    for _event, element in ET.iterparse(archive.open("xl/sharedStrings.xml")):  # noqa: S314
        if element.tag == f"{MAIN}si":
            strings.append(_text(element))
            element.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile) -> set[str]:
    """Indexes (as in the cells' s="…") of the cell styles that show a date."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    styles = _parse(archive, "xl/styles.xml")
    custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "")
              for f in styles.iter(f"{MAIN}numFmt")}
    xfs = styles.find(f"{MAIN}cellXfs")
    dates = set()
    for index, xf in enumerate(xfs if xfs is not None else ()):
        fmt = int(xf.get("numFmtId", "0"))
        if fmt in DATE_FORMAT_IDS or (fmt in custom and is_date_format(custom[fmt])):
            dates.add(str(index))
    return dates


_DIGITS = "0123456789"
_V, _IS = f"{MAIN}v", f"{MAIN}is"


def _column(ref: str | None, default: int, known: dict[str, int]) -> int:
    """The 0-based column of a cell reference ("C12"), its letters' index cached in `known`."""
    if not ref:
        return default
    letters = ref.rstrip(_DIGITS)
    index = known.get(letters)
    if index is None:
        index = 0
        for letter in _LETTERS.match(ref).group(0):
            index = index * 26 + ord(letter) - 64
        index = known[letters] = index - 1
    return index


class _Cells:
    """Converts the cells of one sheet: strings, numbers, booleans and dates."""

    def __init__(self, shared: list[str], dates: set[str]):
        self.shared, self.dates = shared, dates
        self.columns: dict[str, int] = {}

    def value(self, cell: ET.Element):
        kind = cell.get("t")
        if kind == "inlineStr":
            item = cell.find(_IS)
            return _text(item) if item is not None else None
        raw = cell.findtext(_V)
        if raw is None:
            return None
        if kind == "s":
            return self.shared[int(raw)]
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return raw == "1"
        if kind == "d":
            return datetime.fromisoformat(raw)
        number = float(raw) if any(c in raw for c in ".eE") else int(raw)
        return from_excel(number) if cell.get("s") in self.dates else number

    def row(self, element: ET.Element) -> list:
        values: list = []
        columns, value = self.columns, self.value
        for position, cell in enumerate(element):
            column = _column(cell.get("r"), position, columns)
            if column >= len(values):
                values.extend([None] * (column - len(values) + 1))
            values[column] = value(cell)
        return values


def _blank(values: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_rows(data: bytes) -> Iterator[tuple[int, list]]:
    """(row number, values) of each non-blank row of the first sheet, header row included."""
    archive = open_workbook(data)
    cells = _Cells(_shared_strings(archive), _date_styles(archive))
    sheet = archive.open(_first_sheet(archive))
    rows = ET.iterparse(sheet, events=("start", "end"))  # noqa: S314
    sheet_data, count = None, 0
    data_tag, row_tag = f"{MAIN}sheetData", f"{MAIN}row"
    try:
        for event, element in rows:
            if event == "start":
                if element.tag == data_tag:
                    sheet_data = element
                continue
            if element.tag != row_tag:
                continue
            count += 1
            number = int(element.get("r") or count)
            values = cells.row(element)
            if sheet_data is not None:
                sheet_data.remove(element)  # keeps memory to one row
            if not _blank(values):
                yield number, values
    except (ET.ParseError, ValueError, IndexError, KeyError) as error:
        raise BadFile(_("文件已损坏，无法读取，请重新保存后上传。")) from error
