"""The PDF renderer against its peers on the same HTML: WeasyPrint as the application runs it,
Chromium through Playwright (Debian's /usr/bin/chromium, never a downloaded browser) and
wkhtmltopdf (Debian's package, one process a print, as it is used). Each prints the HTML the
application renders for a sheet, with the print stylesheet (static/css/pdf.css) inlined for the
browsers; warm figures (after WARMUP prints) are the median of `iterations`.

An engine that is not installed is named as missing in the output, not measured.
"""

import io
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader

from app.services.core import pdf as core_pdf

CHROMIUM = "/usr/bin/chromium"
WARMUP = 3


@contextmanager
def captured_html():
    """The HTML of each print layout the application renders meanwhile, in order."""
    pages: list[str] = []
    render_template = core_pdf.render_template

    def keep(template, **context):
        pages.append(render_template(template, **context))
        return pages[-1]

    core_pdf.render_template = keep
    try:
        yield pages
    finally:
        core_pdf.render_template = render_template


def standalone(html: str) -> str:
    """The HTML with the print stylesheet inlined and its font named by file URL, for the
    browsers (WeasyPrint is handed the stylesheet apart)."""
    font_dir = (core_pdf.STATIC / "fonts").as_uri()
    css = core_pdf.STYLESHEET.read_text(encoding="utf-8").replace("url(../fonts", f"url({font_dir}")
    return html.replace("</head>", f"<style>{css}</style></head>", 1)


def weasyprint_engine() -> Callable[[str], bytes]:
    def render(html: str) -> bytes:
        document = core_pdf.PrintHTML(string=html, base_url=core_pdf.STATIC.as_uri() + "/",
                                      url_fetcher=core_pdf.StaticFilesOnly())
        kept = core_pdf.typesetter()
        return document.write_pdf(stylesheets=[kept.stylesheet], font_config=kept.fonts)

    return render


@contextmanager
def chromium_engine():
    """Chromium kept open between prints (its warm figure), or None when not installed."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        yield None
        return
    if not Path(CHROMIUM).exists():
        yield None
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()

        def render(html: str) -> bytes:
            page.set_content(standalone(html), wait_until="load")
            return page.pdf(format="A4", prefer_css_page_size=True)

        try:
            yield render
        finally:
            browser.close()


def wkhtmltopdf_engine() -> Callable[[str], bytes] | None:
    """One wkhtmltopdf process a print, or None when it is not installed."""
    command = shutil.which("wkhtmltopdf")
    if command is None:
        return None

    def render(html: str) -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            source, target = Path(folder) / "sheet.html", Path(folder) / "sheet.pdf"
            source.write_text(standalone(html), encoding="utf-8")
            subprocess.run([command, "--quiet", "--enable-local-file-access", "-s", "A4",
                            str(source), str(target)], check=True, capture_output=True)
            return target.read_bytes()

    return render


def timed(engines: dict[str, Callable[[str], bytes]], html: str,
          iterations: int) -> dict[str, str]:
    """{engine: "median ms, KB, pages"} of `iterations` warm prints, the engines taking turns
    print by print, so that a burst of outside load spreads over all of them."""
    for render in engines.values():
        for _ in range(WARMUP):
            render(html)
    times: dict[str, list[float]] = {name: [] for name in engines}
    data: dict[str, bytes] = {}
    for _ in range(iterations):
        for name, render in engines.items():
            started = time.perf_counter()
            data[name] = render(html)
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: f"{statistics.median(times[name]):8.1f} {len(data[name]) / 1024:8.1f} "
                  f"{_pages(data[name])}" for name in engines}


def _pages(data: bytes) -> str:
    """The page count, and whether the footer's "page x / y" made it (margin boxes)."""
    pages = PdfReader(io.BytesIO(data)).pages
    footer = "yes" if "共" in (pages[-1].extract_text() or "") else "NO"
    return f"{len(pages):5d} {footer:>6}"


def compare(sheets: dict[str, str], iterations: int) -> list[str]:
    """One line per sheet and engine; a missing engine is named once per sheet."""
    lines = [f"{'peer comparison (same HTML)':<60} {'med ms':>8} {'KB':>8} {'pages':>5} "
             f"{'footer':>6}"]
    print(lines[0], flush=True)
    with chromium_engine() as chromium:
        engines = {"WeasyPrint (the application's)": weasyprint_engine(),
                   f"Chromium via Playwright ({CHROMIUM})": chromium,
                   "wkhtmltopdf (Debian; a process a print)": wkhtmltopdf_engine()}
        present = {name: render for name, render in engines.items() if render is not None}
        for sheet, html in sheets.items():
            figures = timed(present, html, iterations)
            for name in engines:
                label = f"{sheet}: {name}"
                lines.append(f"{label:<60} {figures.get(name, 'not installed: not measured')}")
                print(lines[-1], flush=True)
    return lines
