"""The archive seal: generated once into its folder (key readable by the owner only), or
taken from a configured PKCS#12 file; a copy validates only against the seal that made it."""

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    pkcs12,
)
from cryptography.x509.oid import NameOID

from app.services.archive.seal import CERT_FILE, KEY_FILE, check_seal, current_seal
from tests.factories.approvals import approved_customer
from tests.factories.archive import file_as


def _pkcs12(path, password: bytes) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "配置的档案章")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"seal", key, cert, None, BestAvailableEncryption(password)))


def test_seal_is_generated_once_with_a_private_key_file(app, team, tmp_path, monkeypatch):
    """A fresh seal folder gets a key (mode 600) and a certificate on first filing."""
    folder = tmp_path / "fresh_seal"
    monkeypatch.setitem(app.config, "ARCHIVE_SEAL_DIR", str(folder))
    file_as(app, team.archivist, "Customer", approved_customer(app, team).id)
    assert (folder / KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert b"BEGIN CERTIFICATE" in (folder / CERT_FILE).read_bytes()


def test_configured_pkcs12_seals_and_other_seals_do_not_validate(app, team, tmp_path,
                                                                archive_root, monkeypatch):
    """With ARCHIVE_SEAL_PKCS12 the copy is sealed by that key and validates against it; the
    instance's own seal does not vouch for it."""
    _pkcs12(tmp_path / "seal.p12", b"secret")
    monkeypatch.setitem(app.config, "ARCHIVE_SEAL_PKCS12", str(tmp_path / "seal.p12"))
    monkeypatch.setitem(app.config, "ARCHIVE_SEAL_PASSWORD", "secret")
    item = file_as(app, team.archivist, "Customer", approved_customer(app, team).id)
    data = (archive_root / item.storage_path).read_bytes()
    with app.app_context():
        assert check_seal(data).valid
    monkeypatch.setitem(app.config, "ARCHIVE_SEAL_PKCS12", None)
    with app.app_context():
        result = check_seal(data)
    assert not result.valid and "seal certificate not the archive's" in result.problems


def test_an_rsa_seal_with_its_chain_fits_the_room_sized_to_it(app, team, tmp_path,
                                                              archive_root, monkeypatch):
    """The room a copy keeps for the seal follows the seal: an RSA-3072 key whose PKCS#12
    carries its issuing CA seals and validates (its container is several times the
    generated P-256 seal's)."""
    ca_key, key = rsa.generate_private_key(65537, 3072), rsa.generate_private_key(65537, 3072)
    ca = _certificate(ca_key, ca_key.public_key(), "档案根证书", "档案根证书")
    leaf = _certificate(ca_key, key.public_key(), "配置的档案章", "档案根证书")
    (tmp_path / "rsa.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        b"seal", key, leaf, [ca], BestAvailableEncryption(b"secret")))
    monkeypatch.setitem(app.config, "ARCHIVE_SEAL_PKCS12", str(tmp_path / "rsa.p12"))
    monkeypatch.setitem(app.config, "ARCHIVE_SEAL_PASSWORD", "secret")
    with app.app_context():
        assert current_seal().reserved > 2 * len(leaf.public_bytes(Encoding.DER))
    item = file_as(app, team.archivist, "Customer", approved_customer(app, team).id)
    with app.app_context():
        assert check_seal((archive_root / item.storage_path).read_bytes()).valid


def _certificate(issuer_key, public_key, subject: str, issuer: str) -> x509.Certificate:
    now = datetime.now(UTC)
    return (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public_key).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=subject == issuer, path_length=None),
                           critical=True)
            .sign(issuer_key, hashes.SHA256()))
