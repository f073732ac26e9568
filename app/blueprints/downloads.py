"""File downloads (PDF prints): never cached, named in Chinese with an ASCII fallback."""

from urllib.parse import quote

from flask import Response

from app.services.pdf import Printed


def pdf_attachment(printed: Printed) -> Response:
    """The PDF as a download: RFC 5987 filename* (UTF-8) plus a plain ASCII filename."""
    response = Response(printed.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{printed.ascii_filename}"; '
        f"filename*=UTF-8''{quote(printed.filename, safe='')}")
    response.headers["Cache-Control"] = "no-store"
    return response
