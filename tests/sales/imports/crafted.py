"""Spreadsheets made in the tests: .xlsx written by openpyxl and then edited part by part (the
damaged and hostile ones the security review found), .ods written by hand (a zip of XML, as
LibreOffice writes it) and genuine .xls written by xlwt."""

import io
import struct
import zipfile
import zlib
from xml.sax.saxutils import escape

from tests.factories.imports import HEADERS, row, workbook

SHEET = "xl/worksheets/sheet1.xml"


def customers(count: int = 2, **fields) -> bytes:
    """An .xlsx of `count` valid customer rows (the first one with `fields`)."""
    return workbook([row(1, **fields)] + [row(n) for n in range(2, count + 1)])


def edited(data: bytes, edit, part: str = SHEET) -> bytes:
    """The .xlsx with `part`'s XML passed through `edit` (bytes -> bytes), rezipped."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info.filename)
            archive.writestr(info.filename, edit(body) if info.filename == part else body)
    return buffer.getvalue()


def cell(ref: str, xml: str):
    """An edit that replaces cell `ref` (as openpyxl writes it) with `xml`."""
    def edit(sheet: bytes) -> bytes:
        start = sheet.index(f'<c r="{ref}"'.encode())
        end = sheet.index(b"</c>", start) + 4
        return sheet[:start] + xml.encode() + sheet[end:]
    return edit


def _patch_headers(data: bytes, part: str, offsets: dict[str, tuple[str, int]]) -> bytes:
    """The zip with fields of `part`'s local header and central directory entry rewritten:
    {name: (struct format, value)} at the offsets below."""
    local = {"crc": 14, "compressed": 18, "size": 22}
    central = {"crc": 16, "compressed": 20, "size": 24}
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    raw = bytearray(data)
    entry = raw.index(b"PK\x01\x02")
    while raw[entry + 46:entry + 46 + len(part)] != part.encode():
        entry = raw.index(b"PK\x01\x02", entry + 4)
    for name, (fmt, value) in offsets.items():
        struct.pack_into(fmt, raw, info.header_offset + local[name], value)
        struct.pack_into(fmt, raw, entry + central[name], value)
    return bytes(raw)


def wrong_checksum(data: bytes, part: str = SHEET) -> bytes:
    """The zip with `part`'s CRC-32 changed: the archive is whole, the part's content is not
    what it was written as."""
    crc = zipfile.ZipFile(io.BytesIO(data)).getinfo(part).CRC
    return _patch_headers(data, part, {"crc": ("<I", crc ^ 0xFFFF)})


def understated(data: bytes, part: str = SHEET) -> bytes:
    """The zip with `part` declared to unpack to 100 bytes (it unpacks to more): the zip bomb
    whose sizes lie, its checksum forged to match what a reader that stops at 100 (or 101)
    bytes sees."""
    content = zipfile.ZipFile(io.BytesIO(data)).read(part)
    return _patch_headers(data, part, {"size": ("<I", 100),
                                       "crc": ("<I", zlib.crc32(content[:101]))})


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"')


def ods_cell(value) -> str:
    """A table cell as LibreOffice writes it: text, a number, or raw XML (a str starting '<')."""
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    if value.startswith("<"):
        return value
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>'
            "</table:table-cell>")


def ods(rows: list[list], tail: str = "") -> bytes:
    """An .ods of `rows` (lists of cells, see ods_cell), `tail` XML after them."""
    body = "".join("<table:table-row>" + "".join(map(ods_cell, cells)) + "</table:table-row>"
                   for cells in rows)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} '
               'office:version="1.2"><office:body><office:spreadsheet>'
               f'<table:table table:name="客户">{body}{tail}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet")  # stored, first
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def ods_customers(count: int = 2, **fields) -> bytes:
    rows = [row(1, **fields)] + [row(n) for n in range(2, count + 1)]
    return ods([HEADERS] + [[values.get(h) for h in HEADERS] for values in rows])


def xls(rows: list[list], far: tuple[int, int] | None = None) -> bytes:
    """A genuine Excel 97-2003 workbook (xlwt), `far` an extra cell (row, column)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("客户")
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            if value is not None:
                sheet.write(r, c, value)
    if far:
        sheet.write(*far, "远处")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xls_customers(count: int = 2, **fields) -> bytes:
    rows = [row(1, **fields)] + [row(n) for n in range(2, count + 1)]
    return xls([HEADERS] + [[values.get(h) for h in HEADERS] for values in rows])


def xls_dimensions(data: bytes, last_row: int) -> bytes:
    """The .xls with its sheet's DIMENSIONS record claiming rows up to `last_row` (xlwt writes
    the workbook stream in one piece, so the record is found and patched in place)."""
    raw = bytearray(data)
    at = raw.index(b"\x00\x02\x0e\x00")  # record 0x0200, 14 bytes
    struct.pack_into("<I", raw, at + 8, last_row)
    return bytes(raw)
