"""PDF rendering with WeasyPrint: the print layouts in templates/pdf/, one small print stylesheet,
the WenQuanYi Micro Hei font (embedded as a subset), and no fetching beyond app/static.

Every document carries the company name, the confidentiality mark and "page x / y" on each page;
秘密 and 机密 documents also carry a diagonal watermark naming the viewer and the time. The
documents themselves live with their domains (customers.pdf, approvals.sheet, sales.contracts.pdf).
"""

import mimetypes
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.models import Level, User
from app.models.base import utcnow
from app.services.core import audit
from app.timeutil import to_local

STATIC = Path(__file__).resolve().parents[2] / "static"
STYLESHEET = STATIC / "css" / "pdf.css"
# The HTML defaults (WeasyPrint's html5_ua.css cut to what print layouts use): see the file.
DEFAULTS = STATIC / "css" / "pdf_defaults.css"
WATERMARK_FROM = Level.SECRET


class StaticFilesOnly(URLFetcher):
    """Serves files under app/static; every other URL (network, other files) is refused."""

    def fetch(self, url, headers=None):
        path = static_file(url)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})


def static_file(url: str) -> Path:
    """The file under app/static a file: URL names; ValueError for any other URL."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ValueError(f"PDF may only use the application's static files, not {url}")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(STATIC) or not path.is_file():
        raise ValueError(f"PDF may only use the application's static files, not {url}")
    return path


_thread = threading.local()


@dataclass(frozen=True)
class Typesetter:
    fonts: FontConfiguration
    stylesheet: weasyprint.CSS
    defaults: weasyprint.CSS


def typesetter() -> Typesetter:
    """This thread's fonts and parsed stylesheets, kept warm between prints (~35 ms a page
    saved). Pango's font map is not for sharing between threads: each thread has its own."""
    if not hasattr(_thread, "typesetter"):
        fonts = FontConfiguration()
        css = weasyprint.CSS(filename=str(STYLESHEET), font_config=fonts,
                             url_fetcher=StaticFilesOnly())
        defaults = weasyprint.CSS(filename=str(DEFAULTS), url_fetcher=StaticFilesOnly())
        _thread.typesetter = Typesetter(fonts, css, defaults)
    return _thread.typesetter


class PrintHTML(weasyprint.HTML):
    """A print layout, styled on the lean HTML defaults instead of WeasyPrint's: the same
    page (tests/core/test_pdf_defaults.py), 5-10 % sooner, with fewer rules to match against
    every element."""

    def _ua_stylesheets(self, forms=False):
        return [typesetter().defaults]


def page_label() -> tuple[str, str, str]:
    """The translated "page x / y" label split around its two numbers, for the page footer."""
    label = _("第 {page} 页 / 共 {pages} 页")
    before, _page, rest = label.partition("{page}")
    middle, _pages, after = rest.partition("{pages}")
    return before, middle, after


def render(template: str, **context) -> bytes:
    """Renders a print layout of templates/pdf/ to PDF bytes; fetches nothing from outside."""
    html = render_template(template, page_label=page_label(), **context)
    document = PrintHTML(string=html, base_url=STATIC.as_uri() + "/",
                         url_fetcher=StaticFilesOnly())
    kept = typesetter()
    return document.write_pdf(stylesheets=[kept.stylesheet], font_config=kept.fonts)


@dataclass(frozen=True)
class Archival:
    """What a filed (archive) copy adds to a print: PDF/A-3b (PDF/A-2 may embed only PDF/A
    files, and a filed copy carries its JSON), `header` (the 档号) in every page's top centre,
    and `attachments` as (file name, description, JSON text), related as "Data" (what the pages
    show)."""

    header: str
    attachments: tuple[tuple[str, str, str], ...] = ()


@contextmanager
def archival_context():
    """Where filed copies are made: the company's default language whoever files, and a request
    context of its own for the layouts' globals when filing runs as a job or a command."""
    outside = nullcontext() if has_request_context() else current_app.test_request_context()
    with outside, force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield


def render_archival(template: str, archival: Archival, **context) -> bytes:
    """A print layout as a filed copy (see Archival); no watermark: the copy names no viewer."""
    html = render_template(template, page_label=page_label(), watermark=None, **context)
    document = PrintHTML(string=html, base_url=STATIC.as_uri() + "/",
                         url_fetcher=StaticFilesOnly())
    kept = typesetter()
    header = archival.header.replace("\\", "\\\\").replace('"', '\\"')
    margin = weasyprint.CSS(string=f'@page {{ @top-center {{ content: "{header}"; }} '
                                   '@top-left { width: auto; } @top-right { width: auto; } }')
    files = [weasyprint.Attachment(string=text, name=name, description=description,
                                   relationship="Data")
             for name, description, text in archival.attachments]
    return document.write_pdf(stylesheets=[kept.stylesheet, margin], font_config=kept.fonts,
                              pdf_variant="pdf/a-3b", attachments=files)


def watermark(level: Level, viewer: User) -> str | None:
    """The viewer's name, employee number and local time for 秘密 and 机密 documents."""
    if level < WATERMARK_FROM:
        return None
    now = to_local(utcnow()).strftime("%Y-%m-%d %H:%M")
    return f"{viewer.full_name} · {viewer.employee_no} · {now}"


@dataclass
class Printed:
    """A rendered document and the name it is downloaded under."""

    data: bytes
    filename: str  # shown to users, may be Chinese
    ascii_filename: str  # the fallback for clients that ignore filename*

    @classmethod
    def named(cls, data: bytes, title: str, ascii_title: str, number: str) -> "Printed":
        """A document downloaded as "<title>-<number>.pdf" (ASCII: "<ascii_title>-<number>.pdf")."""
        return cls(data, f"{title}-{number}.pdf", f"{ascii_title}-{number}.pdf")

    def audited(self, record, viewer: User, **details) -> "Printed":
        """Records in the audit log that `viewer` printed `record` as this document."""
        audit.record("print", record, changes={"document": self.filename}, actor=viewer, **details)
        return self
