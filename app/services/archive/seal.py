"""The organisation's archive seal (档案封存章): a PAdES signature over each filed copy.

The key and certificate come from a configured PKCS#12 file (ARCHIVE_SEAL_PKCS12), else from a
self-issued P-256 key and certificate generated once into instance/archive_seal/ (the first
process to need it writes it; the others read it). The seal certificate is its own trust root
when a copy is validated."""

import asyncio
import fcntl
import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import current_app
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from app.services.archive.store import write_atomic

FIELD = "ArchiveSeal"
KEY_FILE, CERT_FILE = "seal_key.pem", "seal_cert.pem"
_cache: dict[str, "Seal"] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Seal:
    signer: signers.SimpleSigner
    certificate: asn1_x509.Certificate
    reserved: int  # hex digits each copy keeps for the seal's signature (see _reservation)


def seal_dir() -> Path:
    """Where the generated seal lives: ARCHIVE_SEAL_DIR, default instance/archive_seal/."""
    configured = current_app.config.get("ARCHIVE_SEAL_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "archive_seal"


def current_seal() -> Seal:
    """The configured seal, else the instance's own (generated on first use); kept per process."""
    source = current_app.config.get("ARCHIVE_SEAL_PKCS12") or str(seal_dir())
    with _lock:
        if source not in _cache:
            _cache[source] = _load(source)
        return _cache[source]


def _load(source: str) -> Seal:
    if current_app.config.get("ARCHIVE_SEAL_PKCS12"):
        password = current_app.config.get("ARCHIVE_SEAL_PASSWORD")
        signer = signers.SimpleSigner.load_pkcs12(
            source, passphrase=password.encode() if password else None)
    else:
        folder = Path(source)
        if not (folder / CERT_FILE).exists():
            _generate_once(folder)
        signer = signers.SimpleSigner.load(str(folder / KEY_FILE), str(folder / CERT_FILE))
    if signer is None:
        raise SigningError(f"archive seal not readable from {source}")
    return Seal(signer, signer.signing_cert, _reservation(signer))


def _reservation(signer: signers.SimpleSigner) -> int:
    """The room a copy keeps for this seal's signature container, in hex digits: pyHanko's
    own estimate (a dry-run signature, and half as much again), made once per seal instead of
    once per copy, where it took a third of the sealing time. Sized to the seal (~2.8 K digits
    for the generated P-256 one, more for an RSA key with its chain), copies are smaller than
    with a blanket reservation and their seal reads quicker: pyHanko parses it digit by
    digit."""
    attributes = PdfCMSSignedAttributes(signing_time=datetime.now(UTC))
    container = asyncio.run(signer.async_sign(
        hashlib.sha256().digest(), "sha256", use_pades=True, dry_run=True,
        signed_attr_settings=attributes))
    digits = 2 * len(container.dump())
    return digits + 2 * (digits // 4)


def _generate_once(folder: Path) -> None:
    """Generates the seal unless another process did while this one waited for the lock."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / CERT_FILE).exists():
            _generate(folder)


def _generate(folder: Path) -> None:
    """A P-256 key and a self-issued ten-year certificate naming the company's archive."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, current_app.config["COMPANY_NAME"]),
        x509.NameAttribute(NameOID.COMMON_NAME, "档案室归档封存章"),
    ])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, True, False, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    write_atomic(folder / KEY_FILE, key_pem, mode=0o600)
    # The certificate last: its presence says the pair is complete.
    write_atomic(folder / CERT_FILE, cert.public_bytes(serialization.Encoding.PEM))


def seal(data: bytes, reason: str) -> bytes:
    """The PDF with the archive seal's PAdES signature (B-B) appended as an incremental update."""
    writer = IncrementalPdfFileWriter(BytesIO(data))
    meta = signers.PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256", reason=reason,
                                        subfilter=SigSeedSubFilter.PADES)
    kept = current_seal()
    out = signers.sign_pdf(writer, meta, signer=kept.signer, bytes_reserved=kept.reserved)
    return out.getvalue()


@dataclass
class SealCheck:
    """Whether a copy's archive seal holds: present, intact, valid, trusted, covering all."""

    valid: bool
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"valid": self.valid, "problems": self.problems}


def check_seal(data: bytes) -> SealCheck:
    """Validates the seal over these bytes with the seal certificate as the trust root."""
    try:
        signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except Exception as error:  # noqa: BLE001 (any parse failure means: no readable seal)
        return SealCheck(False, [f"unreadable PDF: {error}"])
    if len(signatures) != 1 or signatures[0].field_name != FIELD:
        return SealCheck(False, [f"expected one archive seal, found {len(signatures)} signatures"])
    context = ValidationContext(trust_roots=[current_seal().certificate])
    try:
        status = validate_pdf_signature(signatures[0], context)
    except Exception as error:  # noqa: BLE001 (a damaged signature is a failed check)
        return SealCheck(False, [f"seal not verifiable: {error}"])
    problems = [text for ok, text in (
        (status.intact, "content altered after sealing"),
        (status.valid, "seal signature invalid"),
        (status.trusted, "seal certificate not the archive's"),
        (status.coverage == SignatureCoverageLevel.ENTIRE_FILE, "bytes outside the seal"),
    ) if not ok]
    return SealCheck(not problems, problems)
