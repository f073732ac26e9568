"""File downloads (PDFs, Excel): never cached, named in Chinese with an ASCII fallback."""

import re
from urllib.parse import quote

from flask import Response

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, mimetype: str, filename: str, ascii_filename: str) -> Response:
    """A download: RFC 5987 filename* (UTF-8) plus a plain ASCII filename; not cached."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_UNSAFE.sub("_", ascii_filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}")
    response.headers["Cache-Control"] = "no-store"
    return response


def pdf_attachment(printed) -> Response:
    """A printed document (services.pdf.Printed) as a PDF download."""
    return attachment(printed.data, "application/pdf", printed.filename, printed.ascii_filename)


def xlsx_attachment(data: bytes, filename: str, ascii_filename: str) -> Response:
    return attachment(data, XLSX, filename, ascii_filename)
