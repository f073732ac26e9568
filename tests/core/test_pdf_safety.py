"""Safety in PDFs: field values are printed as text, never as markup, and the renderer fetches
nothing but the application's own static files (no network, no other files)."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import weasyprint

from app.services.core import pdf
from tests.factories.customers import make_customer
from tests.factories.people import print_team
from tests.support import pdf_text


@pytest.fixture
def team(app):
    """A salesperson, their manager and a 客服 colleague, named and cleared for 机密."""
    return print_team(app)


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server API)
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A local HTTP server on a free port that records every request it receives."""
    _Recorder.requests = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Recorder.requests
    server.shutdown()
    server.server_close()


def test_markup_in_a_name_is_printed_as_text_and_fetches_nothing(client, app, team, listener):
    port, received = listener
    name = f'<img src="http://127.0.0.1:{port}/x">'
    customer = make_customer(app, team.staff, name=name,
                             remarks=f'<link rel="stylesheet" href="http://127.0.0.1:{port}/s">')
    client.login("sales1")
    response = client.get(f"/customers/{customer.id}/print.pdf")
    assert response.status_code == 200
    printed = "".join(pdf_text(response.data).split())  # the cell may wrap the long name
    assert "".join(name.split()) in printed and f"http://127.0.0.1:{port}/s" in printed
    assert received == []


def test_even_markup_that_slipped_through_fetches_nothing(listener):
    """Defence in depth: the renderer's fetcher refuses what escaping should already stop."""
    port, received = listener
    html = (f'<img src="http://127.0.0.1:{port}/img">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/css">'
            f'<p style="background: url(http://127.0.0.1:{port}/bg)">x</p>')
    weasyprint.HTML(string=html, base_url=pdf.STATIC.as_uri() + "/",
                    url_fetcher=pdf.StaticFilesOnly()).write_pdf()
    assert received == []
    weasyprint.HTML(string=html).write_pdf()  # the default fetcher would have gone out
    assert "/img" in received


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file:///etc/../etc/passwd",
    pdf.STATIC.as_uri() + "/../__init__.py",
    pdf.STATIC.as_uri() + "/%2e%2e/__init__.py",
    "data:text/plain,hello",
    "ftp://127.0.0.1/x",
])
def test_the_fetcher_refuses_anything_outside_the_static_folder(url):
    with pytest.raises(ValueError):
        pdf.StaticFilesOnly().fetch(url)


def test_the_fetcher_serves_the_applications_static_files():
    response = pdf.StaticFilesOnly().fetch(pdf.STATIC.as_uri() + "/favicon.svg")
    assert response.read() == (pdf.STATIC / "favicon.svg").read_bytes()
    assert Path(pdf.static_file(pdf.STATIC.as_uri() + "/css/pdf.css")) == pdf.STYLESHEET
