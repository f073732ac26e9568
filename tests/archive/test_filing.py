"""Filing signed records: the copy, its attachments, seal and 档号; idempotence; refusals;
a new version as a new item; a record changed after filing stays filed as it was; a batch's
outcomes."""

import hashlib
import io
import json

import pikepdf
import pypdf
import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import AuditEvent, Customer, NumberCounter, RecordVersion, Signature, User
from app.models.archive import ArchiveItem
from app.services.archive.chain import read_attachment
from app.services.archive.filing import (
    ALREADY_FILED,
    FILED,
    REFUSED,
    FilingRefused,
    file_record,
    file_records,
)
from app.services.archive.pdfa import check_pdfa
from app.services.archive.seal import check_seal
from app.services.customers.review import propose_change
from tests.factories.approvals import approved_customer, latest_request_id, sign_as
from tests.factories.archive import file_as
from tests.factories.customers import make_customer
from tests.factories.sales import approved, make_contract


def _bytes(root, item) -> bytes:
    return (root / item.storage_path).read_bytes()


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_signed_customer_is_filed_as_sealed_pdfa(app, team, archive_root):
    """A signed customer file becomes an item with a KH 档号; its stored copy is PDF/A-3b that
    passes the structural checks, carries the 档号 in its text, and has the recorded hashes."""
    customer = approved_customer(app, team)
    item = file_as(app, team.archivist, "Customer", customer.id)
    assert item.archive_number.startswith("TZ-KH·")
    assert item.archive_number.endswith("-D3-XS-00001")
    assert (item.business_number, item.customer_id) == (customer.number, customer.id)
    data = _bytes(archive_root, item)
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.sm3 == hashlib.new("sm3", data).hexdigest() and item.size == len(data)
    with app.app_context():
        assert check_pdfa(data).passed and check_seal(data).valid
    assert f"档号：{item.archive_number}" in _text(data)
    assert item.pdfa_passed and json.loads(item.pdfa_check)["pages"] == item.pages >= 1
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert (pdf.open_metadata()["pdfaid:part"], pdf.encryption.R if pdf.is_encrypted
                else None) == ("3", None)


def test_contract_is_filed_with_its_snapshot_and_signature_chain(app, team, archive_root):
    """A signed contract files under HT with D10; its copy embeds the signed snapshot byte for
    byte and the signature chain whose hashes are the stored signatures'."""
    contract = approved(app, team, make_contract(app, by=team.staff))
    item = file_as(app, team.archivist, "Contract", contract.id)
    assert "-HT·" in item.archive_number and "-D10-XS-" in item.archive_number
    data = _bytes(archive_root, item)
    with app.app_context():
        assert check_pdfa(data).passed and check_seal(data).valid
        version = db.session.scalar(select(RecordVersion).where(
            RecordVersion.record_type == "Contract", RecordVersion.record_id == contract.id))
        hashes = list(db.session.scalars(select(Signature.hash).where(
            Signature.request_id == version.approval_request_id).order_by(Signature.id)))
    assert read_attachment(data, "record.json") == json.loads(version.snapshot)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        raw = pdf.attachments["record.json"].get_file().read_bytes()
        relationship = pdf.attachments["record.json"].obj.AFRelationship
    assert hashlib.sha256(raw).hexdigest() == version.content_hash == item.content_hash
    assert relationship == "/Data"
    chain = read_attachment(data, "signatures.json")
    assert [sig["hash"] for sig in chain["signatures"]] == hashes and hashes
    assert item.archive_number in _text(data) and contract.number in _text(data)


def test_filing_the_same_version_twice_returns_the_first_item(app, team, archive_root):
    """Idempotent: a second filing of the same signed version returns the same item, takes no
    number and writes no file."""
    customer = approved_customer(app, team)
    first = file_as(app, team.archivist, "Customer", customer.id)
    again = file_as(app, team.archivist, "Customer", customer.id)
    assert again.id == first.id and _count(app, ArchiveItem) == 1
    with app.app_context():
        assert db.session.scalar(select(NumberCounter.value).where(
            NumberCounter.key == f"DA:{first.series}")) == 1
    assert len(list(archive_root.rglob("*.pdf"))) == 1


def test_unsigned_or_altered_records_are_refused_without_using_a_number(app, team):
    """A draft (unsigned) and a record whose content no longer matches its signature (签字失效)
    are refused; neither uses a 档号."""
    draft = make_customer(app, team.staff)
    altered = approved_customer(app, team)
    with app.app_context():
        db.session.execute(update(Customer).where(Customer.id == altered.id).values(name="篡改"))
        db.session.commit()
        archivist = db.session.get(User, team.archivist.id)
        for customer in (draft, altered):
            with pytest.raises(FilingRefused):
                file_record("Customer", customer.id, archivist)
        with pytest.raises(FilingRefused):
            file_record("PhoneExport", 1, archivist)
        assert db.session.scalar(select(func.count()).select_from(NumberCounter).where(
            NumberCounter.key.startswith("DA:"))) == 0
    assert _count(app, ArchiveItem) == 0


def test_new_version_is_a_new_item_superseding_the_old(app, team, archive_root):
    """After an approved change the record's new version files as a new item linked to the
    old; the old copy stays exactly as filed."""
    customer = approved_customer(app, team)
    old = file_as(app, team.archivist, "Customer", customer.id)
    before = _bytes(archive_root, old)
    with app.app_context():
        propose_change(db.session.get(Customer, customer.id), {"name": "新名称科技有限公司"},
                       "更名", db.session.get(User, team.staff.id))
        db.session.commit()
    sign_as(app, latest_request_id(app, customer.id, "ChangeRequest"), team.manager)
    new = file_as(app, team.archivist, "Customer", customer.id)
    assert (new.record_version, new.supersedes_id, new.sequence) == (2, old.id, 2)
    assert "新名称科技有限公司" in _text(_bytes(archive_root, new))
    assert _bytes(archive_root, old) == before
    assert "新名称科技有限公司" not in _text(before)


def test_filing_records_the_archivist_and_receiver_and_audits(app, team):
    """The item names who filed and who received it, and the filing is in the audit trail."""
    customer = approved_customer(app, team)
    with app.app_context():
        item = file_record("Customer", customer.id, db.session.get(User, team.staff.id),
                           received_by=db.session.get(User, team.archivist.id))
        assert (item.filed_by_id, item.received_by_id) == (team.staff.id, team.archivist.id)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "archive_filed"))
        assert event.object_id == customer.id and item.archive_number in event.changes


def test_a_batch_reports_each_record_in_order_and_goes_on_after_a_refusal(app, team):
    """file_records (the monthly filing's way): one outcome per pair, in order: filed with its
    档号, refused with the reason (nothing filed, the batch goes on), already filed."""
    signed, draft, other = (approved_customer(app, team), make_customer(app, team.staff),
                            approved_customer(app, team))
    pairs = [("Customer", signed.id), ("Customer", draft.id), ("Customer", other.id),
             ("Customer", signed.id)]
    with app.app_context():
        outcomes = file_records(pairs, db.session.get(User, team.archivist.id))
        numbers = dict(db.session.execute(select(ArchiveItem.record_id,
                                                 ArchiveItem.archive_number)).all())
    assert [(o.record_id, o.status) for o in outcomes] == [
        (signed.id, FILED), (draft.id, REFUSED), (other.id, FILED), (signed.id, ALREADY_FILED)]
    assert outcomes[0].archive_number == numbers[signed.id] == outcomes[3].archive_number
    assert outcomes[2].archive_number.endswith("-00002") and "尚未审批生效" in outcomes[1].reason
    assert outcomes[1].item_id is None and _count(app, ArchiveItem) == 2
