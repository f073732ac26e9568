"""Security headers on every answer: a CSP with no inline script or style (none is needed by any
page), Permissions-Policy, Cross-Origin-Opener-Policy, and HSTS behind HTTPS only."""

import re
from pathlib import Path

import pytest
from flask import render_template_string

from app.models import ImportStatus

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"


@pytest.fixture
def secure_cookies(app):
    app.config["SESSION_COOKIE_SECURE"] = True
    yield
    app.config["SESSION_COOKIE_SECURE"] = False


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


def test_the_csp_allows_no_inline_script_or_style(client):
    directives = _directives(client.get("/login"))
    assert directives["script-src"] == "script-src 'self'"
    assert directives["style-src"] == "style-src 'self'"
    assert "unsafe" not in client.get("/login").headers["Content-Security-Policy"]


def test_browser_features_and_cross_origin_windows_are_shut_off(client):
    headers = client.get("/login").headers
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_is_sent_only_when_cookies_are_https_only(client, app, secure_cookies):
    assert client.get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


# A style attribute (not a macro's `style=` argument, which follows a comma), a <style> element,
# a <script> without src.
_INLINE = re.compile(r"""(?<!,)\sstyle\s*=\s*["']|<style[\s>]|<script(?![^>]*\ssrc=)[^>]*>""",
                     re.I)


def test_no_page_template_has_an_inline_style_or_script():
    """The pages' templates (not the PDFs', which WeasyPrint renders and no browser sees)."""
    pages = [path for path in TEMPLATES.rglob("*.html")
             if path.relative_to(TEMPLATES).parts[0] != "pdf"]
    found = [f"{path.relative_to(TEMPLATES)}:{n}" for path in pages
             for n, line in enumerate(path.read_text().splitlines(), 1) if _INLINE.search(line)]
    assert found == []


@pytest.mark.parametrize(("percent", "shown"), [(0, "0"), (37, "37"), (100, "100"),
                                                (250, "100"), (-5, "0")])
def test_a_job_progress_bar_takes_its_width_from_a_class_rule_not_a_style(app, percent, shown):
    template = ("{% from '_partials/job_status.html' import job_status %}"
                "{{ job_status('job', state, percent, '', 'progress', none) }}")
    with app.test_request_context():
        html = render_template_string(template, state=ImportStatus.RUNNING, percent=percent)
    assert f'data-pct="{shown}"' in html and "style=" not in html
    css = (TEMPLATES.parent / "static" / "css" / "app.css").read_text()
    assert f'[data-pct="{shown}"]{{width:{shown}%}}' in css
