"""The dry run's rows, kept with the batch so that the job does not read the workbook again.

Compact and streamed both ways: the header, then the rows in groups of ROWS_PER_LINE as JSON
lines, deflated (100,000 customers: about 6 MB). Every cell is kept as read, mapped or not, so
the failed rows' workbook shows the user's own cells. JSON has no dates and no Unreadable: those
travel as small lists, which no cell ever is.
"""

import json
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from itertools import islice

from app.services.imports.errors import Unreadable

ROWS_PER_LINE = 500
_PIECE = 1 << 20


def _tag(value) -> list:
    """A value JSON has no type for, as a tagged list."""
    if isinstance(value, datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, time):
        return ["t", value.isoformat()]
    if isinstance(value, timedelta):
        return ["td", value.total_seconds()]
    if isinstance(value, Unreadable):
        return ["!", value.text, value.problem]
    return ["s", str(value)]


_UNTAG = {"dt": datetime.fromisoformat, "d": date.fromisoformat, "t": time.fromisoformat,
          "td": lambda seconds: timedelta(seconds=seconds), "s": str}


def _untag(value: list):
    if value[0] == "!":
        return Unreadable(value[1], value[2])
    return _UNTAG[value[0]](value[1])


class Packer:
    """Collects rows (row number, values) as they are read; `packed()` gives the bytes."""

    def __init__(self, header: list):
        self._deflate = zlib.compressobj(1)  # fast: level 6 saves a little size for twice the time
        self._parts: list[bytes] = []
        self._line([header])

    def _line(self, rows: list) -> None:
        text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"), default=_tag)
        self._parts.append(self._deflate.compress(text.encode() + b"\n"))

    def add(self, rows: Iterable[tuple[int, list]]) -> None:
        rows = iter(rows)
        while group := [[number, *values] for number, values in islice(rows, ROWS_PER_LINE)]:
            self._line(group)

    def packed(self) -> bytes:
        self._parts.append(self._deflate.flush())
        return b"".join(self._parts)


def _lines(blob: bytes) -> Iterator[bytes]:
    inflate, rest = zlib.decompressobj(), b""
    for start in range(0, len(blob), _PIECE):
        rest += inflate.decompress(blob[start:start + _PIECE])
        *lines, rest = rest.split(b"\n")
        yield from lines
    rest += inflate.flush()
    yield from (line for line in rest.split(b"\n") if line)


def unpack(blob: bytes) -> tuple[list, Iterator[tuple[int, list]]]:
    """(header, rows as (row number, values)) of packed rows, the rows read as they are used."""
    lines = _lines(blob)
    header = [_untag(v) if type(v) is list else v for v in json.loads(next(lines))[0]]

    def rows():
        for line in lines:
            for number, *values in json.loads(line):
                for index, value in enumerate(values):
                    if type(value) is list:
                        values[index] = _untag(value)
                yield number, values

    return header, rows()
