"""Print layouts are styled on lean HTML defaults (static/css/pdf_defaults.css, in place of
WeasyPrint's html5_ua.css, for speed): they must lay a sheet out exactly as WeasyPrint's own
defaults do, and cover every element a print layout uses."""

import re
from pathlib import Path

import pytest
import weasyprint

from app.models import Level
from app.services.core import pdf
from tests.factories.approvals import approved_customer
from tests.factories.people import print_team

PRINT_LAYOUTS = Path(pdf.STATIC).parent / "templates" / "pdf"
_TAG = re.compile(r"<([a-z][a-z0-9]*)\b")


@pytest.fixture
def team(app):
    return print_team(app)


def _sheet_html(client, app, team, monkeypatch) -> str:
    """The HTML of a watermarked customer sheet with a signature, as the application prints."""
    customer = approved_customer(app, team, confidentiality=Level.SECRET)
    pages: list[str] = []
    render_template = pdf.render_template

    def keep(template, **context):
        pages.append(render_template(template, **context))
        return pages[-1]

    monkeypatch.setattr(pdf, "render_template", keep)
    client.login("sales_mgr")
    assert client.get(f"/customers/{customer.id}/print.pdf").status_code == 200
    return pages[0]


def _boxes(html_class, html: str) -> list[tuple]:
    """Every box of the laid-out document: its kind, place and size."""
    with_fonts = pdf.typesetter()
    document = html_class(string=html, base_url=pdf.STATIC.as_uri() + "/",
                          url_fetcher=pdf.StaticFilesOnly()).render(
        stylesheets=[with_fonts.stylesheet], font_config=with_fonts.fonts)
    found: list[tuple] = []

    def walk(box):
        found.append((type(box).__name__, round(box.position_x, 3), round(box.position_y, 3),
                      round(box.width or 0, 3), round(box.height or 0, 3),
                      getattr(box, "text", None)))
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def test_the_lean_defaults_lay_a_sheet_out_as_weasyprints_own(client, app, team, monkeypatch):
    """Rule: the same boxes in the same places (header, footer page x / y, watermark,
    signature block), whichever defaults."""
    html = _sheet_html(client, app, team, monkeypatch)
    assert "watermark" in html
    assert _boxes(pdf.PrintHTML, html) == _boxes(weasyprint.HTML, html)


def test_the_lean_defaults_cover_every_element_of_the_print_layouts():
    """Rule: an element a print layout uses has its HTML defaults in pdf_defaults.css (else it
    would print as plain inline text)."""
    rules = pdf.DEFAULTS.read_text(encoding="utf-8")
    used = {tag for layout in PRINT_LAYOUTS.rglob("*.html")
            for tag in _TAG.findall(layout.read_text(encoding="utf-8"))}
    missing = {tag for tag in used if tag != "span"
               and not re.search(rf"(^|[\s,]){tag}([\s,.:{{>\[]|$)", rules, re.M)}
    assert used and not missing, f"add their defaults to pdf_defaults.css: {sorted(missing)}"
