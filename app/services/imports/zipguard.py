"""Zip-bomb guard of the zipped workbooks (.xlsx, .ods), run before calamine sees the file.

calamine inflates each part with the `zip` crate, which reads a deflate stream to its end
whatever size the archive declares: a part declared small may unpack to gigabytes. So every part
is unpacked here first, in pieces, and refused when it unpacks to more than it declares, when
the declared sizes add up to more than MAX_UNPACKED, or when its checksum is wrong. Whoever
needs a part's text (the sheet scans) gets it in these same pieces, cut before a '<' so that no
tag is split.
"""

import copy
import io
import zipfile
from collections.abc import Callable, Iterator

from app.services.imports.errors import damaged, not_a_workbook, too_large

# The XML of a legitimate 10 MB workbook is far smaller (100,000 customers: 80 MB).
MAX_UNPACKED = 400 * 1024 * 1024
PIECE = 4 * 1024 * 1024
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, its declared sizes checked; refuses a damaged or oversized one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError) as error:
        raise damaged() from error
    if not infos:
        raise not_a_workbook()
    if sum(info.file_size for info in infos) > MAX_UNPACKED:
        raise too_large()
    if any(info.compress_type not in _METHODS for info in infos):
        raise damaged()  # Excel, WPS and LibreOffice only store or deflate
    return archive


def pieces(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cut: bytes = b"<") -> Iterator[bytes]:
    """The part's content in pieces cut before its last `cut` (else its last '<'), so that no
    tag (and, cut before a row, no cell) is split; refuses (BadFile) a part that unpacks to
    more than it declares or fails its checksum."""
    # One byte more than declared is asked for: getting it proves the declared size a lie.
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1
    size, carry = 0, b""
    try:
        with archive.open(probe) as part:
            while chunk := part.read(PIECE):
                size += len(chunk)
                if size > info.file_size:
                    raise too_large()
                at = _cut(chunk, cut)
                if at <= 0:
                    carry += chunk
                    continue
                yield carry + chunk[:at]
                carry = chunk[at:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as error:
        # a wrong checksum, a broken deflate stream, a password-protected part
        raise damaged() from error
    if size != info.file_size:
        raise damaged()
    if carry:
        yield carry


def _cut(chunk: bytes, before: bytes) -> int:
    at = chunk.rfind(before)
    return at if at > 0 else chunk.rfind(b"<")


def verify(archive: zipfile.ZipFile, scan: Callable[[zipfile.ZipInfo, Iterator[bytes]], None],
           cut: bytes = b"<") -> None:
    """Unpacks every part once: `scan(info, pieces)` reads the ones it wants, the others are
    drained here (calamine may read any of them)."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        stream = pieces(archive, info, cut)
        scan(info, stream)
        for _rest in stream:
            pass
