"""The item checks (authenticity, integrity, usability, security) over one filed copy: each kind
of damage is found by the check that names it, and an intact copy passes every one."""

import json

from sqlalchemy import select, update

from app.extensions import db
from app.models import Signature
from app.models.archive import ArchiveItem, CheckOutcome
from app.services.archive.checks import check_item
from tests.archive.checks.tampering import flip_byte, rehash, set_columns
from tests.factories.archive import filed_customer


def _checked(app, item_id: int):
    with app.app_context():
        item = db.session.get(ArchiveItem, item_id)
        result = check_item(item)
        db.session.commit()
        return result, db.session.get(ArchiveItem, item_id).last_checked_at


def _codes(result) -> set[str]:
    return {finding.code for finding in result.findings}


def test_an_intact_item_passes_every_check(app, team):
    """A freshly filed copy passes all item checks and its last-checked time is kept."""
    item = filed_customer(app, team)
    result, checked_at = _checked(app, item.id)
    assert result.findings == [] and result.outcome == CheckOutcome.PASSED and result.ok
    assert checked_at is not None


def test_a_changed_byte_fails_the_digests_the_seal_and_the_filing_record(app, team, archive_root):
    """One byte changed: SHA-256, SM3 and the seal fail, and the copy no longer is the one the
    audit trail recorded at filing; the size still matches."""
    item = filed_customer(app, team)
    flip_byte(archive_root / item.storage_path)
    result, _ = _checked(app, item.id)
    assert _codes(result) >= {"sha256", "sm3", "seal", "unaltered"}
    assert "size" not in _codes(result) and result.outcome == CheckOutcome.FAILED


def test_a_broken_seal_is_found_even_with_the_catalogue_rehashed(app, team, archive_root):
    """Bytes inside the seal's signature changed and the catalogue rehashed to match: the
    digests agree with the catalogue, but the seal fails and the catalogue no longer holds
    the digest the audit trail recorded at filing."""
    item = filed_customer(app, team)
    path = archive_root / item.storage_path
    data = bytearray(path.read_bytes())
    at = data.find(b"/Contents <") + len(b"/Contents <") + 40
    data[at:at + 2] = b"00" if data[at:at + 2] != b"00" else b"11"
    path.write_bytes(bytes(data))
    rehash(app, item.id, bytes(data))
    result, _ = _checked(app, item.id)
    assert _codes(result) == {"seal", "unaltered"}


def test_a_missing_file_is_one_finding(app, team, archive_root):
    """The stored copy gone: 电子文件存在 fails, and no other check passes or fails for it."""
    item = filed_customer(app, team)
    (archive_root / item.storage_path).unlink()
    result, _ = _checked(app, item.id)
    assert _codes(result) == {"content_present"}
    assert result.problems() == ["content_present: file missing"]


def test_a_size_mismatch_is_found(app, team):
    """A catalogue size that is not the stored copy's fails the size check alone."""
    item = filed_customer(app, team)
    set_columns(app, item.id, size=item.size + 7)
    result, _ = _checked(app, item.id)
    assert _codes(result) == {"size"}
    assert f"recorded {item.size + 7} bytes" in result.findings[0].detail


def test_incomplete_metadata_only_warns_by_default(app, team):
    """An empty 题名 fails the metadata check, which the default scheme does not block on."""
    item = filed_customer(app, team)
    set_columns(app, item.id, title="")
    result, _ = _checked(app, item.id)
    assert _codes(result) == {"metadata"} and "title" in result.findings[0].detail
    assert result.outcome == CheckOutcome.WARNING and result.ok


def test_signatures_rewritten_in_the_database_are_found(app, team):
    """A signature's comment changed in the database after filing: the database chain no
    longer verifies, while the copy's embedded chain still does."""
    item = filed_customer(app, team)
    with app.app_context():
        signature_id = db.session.scalar(select(Signature.id).order_by(Signature.id.desc()))
        db.session.execute(update(Signature).where(Signature.id == signature_id)
                           .values(comment="事后改写"))
        db.session.commit()
    result, _ = _checked(app, item.id)
    assert _codes(result) == {"signatures"}
    assert "database" in result.findings[0].detail


def test_the_embedded_chain_must_be_the_items_record(app, team):
    """A catalogue row pointing at another version than its copy carries fails authenticity."""
    item = filed_customer(app, team)
    set_columns(app, item.id, record_version=item.record_version + 1)
    result, _ = _checked(app, item.id)
    assert "signatures" in _codes(result)
    detail = json.dumps([f.detail for f in result.findings])
    assert "another record or version" in detail
