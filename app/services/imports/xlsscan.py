"""What calamine would do with an .xls (Excel 97-2003, WPS) file, found out before it does it.

calamine reads every sheet of an .xls when it opens the file, reserves memory for the size each
sheet's DIMENSIONS record declares (a crafted record asks for terabytes and the allocation
failure aborts the worker process) and builds each sheet as a dense grid up to its furthest
cell (A1 and IV65536 in a tiny file: 1 GB). So the sheets' records are walked here first, as
calamine walks them (from the offsets the workbook's BOUNDSHEET records give), and the file is
refused when a declared or a real extent exceeds MAX_CELLS. Error values (#DIV/0!) of the first
sheet are marked: calamine reads them as empty. (An .xls always stores a formula's result.)
"""

import io
import struct

import olefile
from flask_babel import gettext as _

from app.services.imports.errors import BadFile, error_value, too_wide
from app.services.imports.xlsxscan import MAX_CELLS, Marks

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOF, EOF, BOUNDSHEET, DIMENSIONS, FILEPASS = 0x0809, 0x000A, 0x0085, 0x0200, 0x002F
BOOLERR, FORMULA, MULRK = 0x0205, 0x0006, 0x00BD
# The records calamine turns into cells: NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA.
CELLS = {0x0203, 0x0204, 0x00D6, BOOLERR, 0x027E, 0x00FD, FORMULA}
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
          0x24: "#NUM!", 0x2A: "#N/A"}
_HEADER = struct.Struct("<HH")
_POSITION = struct.Struct("<HH")


def damaged_xls() -> BadFile:
    return BadFile(_("旧版 Excel（.xls）文件已损坏，无法读取：请在 Excel 或 WPS 中打开，"
                     "另存为 .xlsx 后上传。"))


def _records(stream: bytes, start: int):
    """(type, body) of the records from `start` to the substream's EOF, as calamine reads them."""
    position = start
    while position + 4 <= len(stream):
        kind, size = _HEADER.unpack_from(stream, position)
        body = stream[position + 4:position + 4 + size]
        if len(body) < size:
            raise damaged_xls()
        yield kind, body
        if kind == EOF:
            return
        position += 4 + size


def _declared(body: bytes) -> int:
    """The cells calamine reserves for a DIMENSIONS record (its u32 arithmetic, wrapped)."""
    if len(body) == 14:
        first_row, last_row = struct.unpack_from("<II", body)
        first_col, last_col = struct.unpack_from("<HH", body, 8)
    elif len(body) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body)
    else:
        raise damaged_xls()
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row < 1 or last_col < 1:
        return 1
    rows = (last_row - 1 - first_row + 1) & 0xFFFFFFFF
    columns = (last_col - 1 - first_col + 1) & 0xFFFFFFFF
    return rows * columns


def _error(kind: int, body: bytes) -> str | None:
    """The error value a BOOLERR or FORMULA record holds, if it holds one."""
    if kind == BOOLERR and len(body) >= 8 and body[7] == 1:
        return ERRORS.get(body[6], "#ERR")
    if kind == FORMULA and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
        return ERRORS.get(body[8], "#ERR")
    return None


def _sheet(stream: bytes, start: int, marks: Marks | None) -> int:
    """The grid calamine builds for the sheet at `start`; marks its error values."""
    rows = columns = 0
    for kind, body in _records(stream, start):
        if kind == DIMENSIONS and _declared(body) > MAX_CELLS:
            raise too_wide(MAX_CELLS)
        if (kind not in CELLS and kind != MULRK) or len(body) < 4:
            continue
        row, column = _POSITION.unpack_from(body)
        if kind == MULRK:
            column = max(column, struct.unpack_from("<H", body, len(body) - 2)[0])
        rows, columns = max(rows, row + 1), max(columns, column + 1)
        shown = _error(kind, body) if marks is not None else None
        if shown:
            marks.setdefault(row, {})[column] = error_value(shown)
    return rows * columns


def _sheets(stream: bytes) -> list[int]:
    """The offsets of the sheets the workbook's BOUNDSHEET records list."""
    offsets = []
    for kind, body in _records(stream, 0):
        if kind == FILEPASS:
            raise BadFile(_("文件设置了打开密码，请取消密码后再上传。"))
        if kind == BOUNDSHEET and len(body) >= 4:
            offsets.append(struct.unpack_from("<I", body)[0])
    return offsets


def _streams(data: bytes) -> list[bytes]:
    """Every stream calamine could take for the workbook ("Workbook", or "Book" of Excel 95)."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        names = [path for path in ole.listdir(streams=True, storages=False)
                 if path[-1].lower() in ("workbook", "book")]
        if not names and any(path[-1] == "EncryptedPackage" for path in ole.listdir()):
            raise BadFile(_("文件设置了打开密码，请取消密码后再上传。"))
        return [ole.openstream(path).read() for path in names]
    except BadFile:
        raise
    except Exception as error:  # noqa: BLE001 (olefile raises many kinds on a damaged file)
        raise damaged_xls() from error


def inspect(data: bytes) -> Marks:
    """Checks an .xls before calamine reads it; returns the first sheet's error values."""
    streams = _streams(data)
    if not streams:
        raise damaged_xls()
    marks: Marks = {}
    for number, stream in enumerate(streams):
        total = 0
        for index, offset in enumerate(_sheets(stream)):
            first = number == 0 and index == 0
            total += _sheet(stream, offset, marks if first else None)
            if total > MAX_CELLS:
                raise too_wide(MAX_CELLS)
    return marks
