"""An item's page: its 档号 (data-archive-number) and state (data-status), metadata, hashes,
retention, the versions it supersedes and that supersede it, the voids of its number, and
作废档号 (the archivist, a reason, confirmed, audited, never twice)."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from app.models.archive import ArchiveNumberVoid
from tests.factories.archive import catalogue_item
from tests.factories.people import make_people


@pytest.fixture
def people(app):
    return make_people(app, "archivist", "sales1", named=True)


def test_page_shows_number_state_hashes_and_versions(app, client, people):
    """The page marks the 档号 and state for scripts, shows both hashes and the retention,
    and links the version it supersedes and the one that supersedes it."""
    by = people["archivist"]
    old = catalogue_item(app, by, record_id=9001, record_version=1)
    item = catalogue_item(app, by, record_id=9001, record_version=2, supersedes_id=old.id)
    newer = catalogue_item(app, by, record_id=9001, record_version=3, supersedes_id=item.id)
    client.login("archivist")
    text = client.get(f"/archive/items/{item.id}").get_data(as_text=True)
    assert f'data-archive-number="{item.archive_number}"' in text
    assert 'data-status="in_store"' in text
    assert item.sha256 in text and item.sm3 in text
    assert "D10（10 年）" in text
    assert f'href="/archive/items/{old.id}"' in text and f'href="/archive/items/{newer.id}"' in text


def test_archivist_voids_a_number_with_a_reason(app, client, people):
    """作废档号 needs a reason and asks for confirmation; done, the page shows the void and its
    reason, the event is audited, and a second void is refused."""
    item = catalogue_item(app, people["archivist"])
    client.login("archivist")
    url = f"/archive/items/{item.id}"
    assert "hx-confirm" in client.get(url).get_data(as_text=True)
    client.post_form(f"{url}/void", {"reason": ""})
    assert _voids(app) == 0
    client.post_form(f"{url}/void", {"reason": "重复归档"})
    text = client.get(url).get_data(as_text=True)
    assert "重复归档" in text and 'id="item-voided"' in text and 'id="void-form"' not in text
    client.post_form(f"{url}/void", {"reason": "再次"})
    assert _voids(app) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "archive_number_voided", AuditEvent.object_id == item.id)) == 1


def _voids(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ArchiveNumberVoid))


def test_department_user_sees_metadata_but_no_copy_links(app, client, people):
    """The salesperson reads their department's item's page, without read or print buttons
    (content needs a loan) and without the void form."""
    item = catalogue_item(app, people["archivist"])
    client.login("sales1")
    text = client.get(f"/archive/items/{item.id}").get_data(as_text=True)
    assert item.archive_number in text
    assert 'id="read-copy"' not in text and 'id="download-copy"' not in text
    assert 'id="void-form"' not in text
