"""Batch printing (req 10): the archivist ticks items in the catalogue, a job (the shared
progress widget) makes one PDF of every watermarked copy or a zip of one PDF per item; items
that cannot be printed are left out and named; every copy printed and the file taken are
audited; an empty or oversized choice is refused."""

import io
import zipfile

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Level
from app.models.archive import ArchivePrintJob, ArchiveState, PrintFormat, PrintStatus
from app.services.archive.items import batch
from tests.factories.archive import catalogue_item
from tests.factories.people import make_people
from tests.support import pdf_reader


@pytest.fixture
def people(app):
    return make_people(app, "archivist", named=True)


def _print(client, items, fmt: str):
    """Ticks the items and prints them; the job's page (the job ran in the request)."""
    response = client.post_form("/archive/items/print", {
        "item_ids": [str(i.id) for i in items], "format": fmt})
    assert response.status_code == 303
    return client.get(response.headers["Location"])


def _count(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action))


def test_one_pdf_of_every_copy_in_the_order_ticked(app, client, people):
    """The PDF holds every page of every copy, each stamped with the archivist's watermark;
    a 机密 item above the archivist's clearance is never printed."""
    by = people["archivist"]
    items = [catalogue_item(app, by, pages=2), catalogue_item(app, by, pages=1)]
    hidden = catalogue_item(app, by, level=Level.CONFIDENTIAL)
    client.login("archivist")
    page = _print(client, [*items, hidden], "pdf")
    assert 'data-status="done"' in page.get_data(as_text=True)
    response = client.get(page.request.path + "/file")
    assert response.headers["Content-Type"] == "application/pdf"
    pages = pdf_reader(response.data).pages
    assert len(pages) == 3
    assert all(by.employee_no in p.extract_text() for p in pages)
    assert _count(app, "archive_batch_printed") == 2
    assert _count(app, "archive_print_taken") == 1


def test_a_zip_of_one_pdf_per_item_and_the_skipped_named(app, client, people):
    """The zip holds a PDF per printable item named by its 档号; a destroyed item is left out
    and named on the job's page."""
    by = people["archivist"]
    kept = catalogue_item(app, by)
    destroyed = catalogue_item(app, by, state=ArchiveState.DESTROYED)
    client.login("archivist")
    page = _print(client, [kept, destroyed], "zip")
    assert destroyed.archive_number in page.get_data(as_text=True)
    response = client.get(page.request.path + "/file")
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert names == [f"{kept.archive_number}.pdf"]


def test_nothing_ticked_or_too_many_is_refused(app, client, people):
    """No job starts for an empty choice or one over the batch limit."""
    client.login("archivist")
    response = client.post_form("/archive/items/print", {"format": "pdf"})
    assert response.status_code == 303
    assert "请先勾选" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        with pytest.raises(batch.PrintRefused):
            batch.request_print(list(range(1, batch.BATCH_LIMIT + 2)), PrintFormat.PDF,
                                people["archivist"])
        assert db.session.scalar(select(func.count()).select_from(ArchivePrintJob)) == 0


def test_a_failed_job_says_so(app, people, monkeypatch):
    """A job that breaks keeps its failure (the widget shows it) instead of running forever."""
    item = catalogue_item(app, people["archivist"])
    monkeypatch.setattr(batch, "_joined", lambda copies: 1 / 0)
    with app.app_context():
        job = batch.request_print([item.id], PrintFormat.PDF, people["archivist"])
        db.session.commit()
        with pytest.raises(ZeroDivisionError):
            batch.run(job.id)
        assert db.session.get(ArchivePrintJob, job.id).status == PrintStatus.FAILED


def test_nothing_printable_fails_and_names_why(app, client, people):
    """A choice of only destroyed items makes no file: the job fails and names them."""
    destroyed = catalogue_item(app, people["archivist"], state=ArchiveState.DESTROYED)
    client.login("archivist")
    page = _print(client, [destroyed], "pdf").get_data(as_text=True)
    assert 'data-status="failed"' in page and destroyed.archive_number in page
    assert 'id="print-file"' not in page
