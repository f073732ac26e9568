"""The frozen copy as served (/archive/items/<id>/copy.pdf): the stored bytes with a watermark
overlay naming the viewer and the time (and the level mark from 秘密), the stored file left as
it was, every view and download audited with the item, and no content for a destroyed item or
a missing file."""

import hashlib

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Level
from app.models.archive import ArchiveState
from tests.factories.archive import catalogue_item
from tests.factories.people import make_people
from tests.support import pdf_reader, pdf_text


@pytest.fixture
def people(app):
    return make_people(app, "archivist", "gm", named=True)


def _events(app, item, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.object_type == "ArchiveItem",
            AuditEvent.object_id == item.id)))


def test_gm_reads_the_copy_inline_watermarked(app, client, people, archive_root):
    """The GM's copy opens inline, every page stamped with 赵总's name and employee number;
    the stored file keeps its hash; the view is audited with the item."""
    item = catalogue_item(app, people["archivist"], pages=2)
    client.login("gm")
    response = client.get(f"/archive/items/{item.id}/copy.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["Cache-Control"] == "no-store"
    pages = [page.extract_text() for page in pdf_reader(response.data).pages]
    assert len(pages) == 2 and all("赵总" in text and "G0001" in text for text in pages)
    stored = (archive_root / item.storage_path).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == item.sha256
    assert len(_events(app, item, "archive_copy_viewed")) == 1


def test_level_mark_only_where_the_level_requires_it(app, client, people):
    """A 秘密 item's watermark carries its level; an internal one's names the viewer only."""
    secret = catalogue_item(app, people["archivist"], level=Level.SECRET)
    internal = catalogue_item(app, people["archivist"], level=Level.INTERNAL)
    client.login("gm")
    assert "秘密" in pdf_text(client.get(f"/archive/items/{secret.id}/copy.pdf").data)
    text = pdf_text(client.get(f"/archive/items/{internal.id}/copy.pdf").data)
    assert "赵总" in text and "内部" not in text


def test_archivist_downloads_for_printing(app, client, people):
    """?download=1 (PRINT) gives the archivist an attachment stamped with their name; the
    download is audited; inline reading stays the GM's and a borrower's."""
    item = catalogue_item(app, people["archivist"])
    client.login("archivist")
    response = client.get(f"/archive/items/{item.id}/copy.pdf?download=1")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert people["archivist"].employee_no in pdf_text(response.data)
    assert len(_events(app, item, "archive_copy_downloaded")) == 1
    assert client.get(f"/archive/items/{item.id}/copy.pdf").status_code == 403


def test_no_content_for_a_destroyed_item_or_a_missing_file(app, client, people, archive_root):
    """A destroyed item's copy is refused to everyone (its content is gone); a missing stored
    file answers with a clear message, never a 500, and nothing is audited."""
    destroyed = catalogue_item(app, people["archivist"], state=ArchiveState.DESTROYED)
    missing = catalogue_item(app, people["archivist"])
    (archive_root / missing.storage_path).unlink()
    client.login("gm")
    assert client.get(f"/archive/items/{destroyed.id}/copy.pdf").status_code == 403
    response = client.get(f"/archive/items/{missing.id}/copy.pdf")
    assert response.status_code == 404
    assert "电子副本缺失" in response.get_data(as_text=True)
    assert _events(app, missing, "archive_copy_viewed") == []
