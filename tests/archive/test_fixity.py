"""Verification of a filed copy: a changed byte, a broken seal, a missing file, bytes added
after the seal, and a copy that is no longer PDF/A-clean are each detected and named."""

import hashlib
import io

import pikepdf
from sqlalchemy import update

from app.extensions import db
from app.models.archive import ArchiveItem
from app.services.archive import fixity
from app.services.archive.pdfa import check_pdfa
from tests.factories.approvals import approved_customer
from tests.factories.archive import file_as


def _filed(app, team, archive_root):
    item = file_as(app, team.archivist, "Customer", approved_customer(app, team).id)
    return item, archive_root / item.storage_path


def _verify(app, item_id: int) -> fixity.Verification:
    with app.app_context():
        return fixity.verify(db.session.get(ArchiveItem, item_id))


def _rehash(app, item_id: int, data: bytes) -> None:
    """Records the tampered bytes' hashes too, as someone covering their tracks would."""
    with app.app_context():
        db.session.execute(update(ArchiveItem).where(ArchiveItem.id == item_id).values(
            sha256=hashlib.sha256(data).hexdigest(), sm3=hashlib.new("sm3", data).hexdigest(),
            size=len(data)))
        db.session.commit()


def test_an_intact_copy_verifies(app, team, archive_root):
    """Hashes, seal and PDF/A structure all pass on a freshly filed copy."""
    item, _ = _filed(app, team, archive_root)
    result = _verify(app, item.id)
    assert result.ok and result.hashes.ok and result.seal.valid and result.pdfa.passed


def test_a_changed_byte_is_detected(app, team, archive_root):
    """One byte changed inside the sealed range: SHA-256, SM3 and the seal all fail."""
    item, path = _filed(app, team, archive_root)
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))
    result = _verify(app, item.id)
    assert not result.ok
    assert not result.hashes.sha256_ok and not result.hashes.sm3_ok and result.hashes.size_ok
    assert not result.seal.valid


def test_a_broken_seal_is_detected_even_with_matching_hashes(app, team, archive_root):
    """A copy altered and re-hashed in the catalogue still fails: the seal no longer covers it."""
    item, path = _filed(app, team, archive_root)
    data = bytearray(path.read_bytes())
    at = data.find(b"/Contents <") + len(b"/Contents <") + 40  # inside the signature itself
    data[at:at + 2] = b"00" if data[at:at + 2] != b"00" else b"11"
    path.write_bytes(bytes(data))
    _rehash(app, item.id, bytes(data))
    result = _verify(app, item.id)
    assert result.hashes.ok and not result.seal.valid and not result.ok
    assert any(problem.startswith("seal:") for problem in result.problems)


def test_bytes_appended_after_the_seal_are_detected(app, team, archive_root):
    """An incremental update after the seal (a changed page, re-hashed) is outside the seal."""
    item, path = _filed(app, team, archive_root)
    with pikepdf.open(io.BytesIO(path.read_bytes())) as pdf:
        pdf.docinfo["/Title"] = "篡改"
        out = io.BytesIO()
        pdf.save(out)
    path.write_bytes(out.getvalue())
    _rehash(app, item.id, out.getvalue())
    result = _verify(app, item.id)
    assert result.hashes.ok and not result.seal.valid


def test_a_missing_file_is_detected(app, team, archive_root):
    """The stored copy gone: the verification says the file is missing."""
    item, path = _filed(app, team, archive_root)
    path.unlink()
    result = _verify(app, item.id)
    assert not result.ok and result.problems == ["file missing"]


def test_structural_check_refuses_javascript_encryption_and_missing_identification(
        app, team, archive_root):
    """JavaScript, encryption and a copy without PDF/A identification each fail their check."""
    _, path = _filed(app, team, archive_root)
    original = path.read_bytes()
    with pikepdf.open(io.BytesIO(original)) as pdf:
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
        scripted = io.BytesIO()
        pdf.save(scripted)
        encrypted = io.BytesIO()
        pdf.save(encrypted, encryption=pikepdf.Encryption(owner="o", user=""))
    with pikepdf.open(io.BytesIO(original)) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            del meta["pdfaid:part"]
        plain = io.BytesIO()
        pdf.save(plain)
    assert set(check_pdfa(scripted.getvalue()).failures()) == {"no_javascript"}
    assert "not_encrypted" in check_pdfa(encrypted.getvalue()).failures()
    assert set(check_pdfa(plain.getvalue()).failures()) == {"pdfa_identification"}
    assert set(check_pdfa(b"not a pdf").failures()) >= {"readable"}
