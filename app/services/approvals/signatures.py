"""Content hashes and signature chains: what was signed, and whether it still holds."""

import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.models.approvals import ApprovalRequest, RecordVersion, Signature
from app.services.core.audit import canonical_json


def content_hash(snapshot: dict) -> str:
    return hashlib.sha256(canonical_json(snapshot).encode()).hexdigest()


def pii_digest(record_type: str, record_id: int, value: str | None) -> str | None:
    """Personal data enters signed content only as a digest: signed, never copied in clear."""
    if not value:
        return None
    return "sha256:" + hashlib.sha256(f"{record_type}:{record_id}:{value}".encode()).hexdigest()


def signature_hash(sig: Signature, request: ApprovalRequest) -> str:
    """Binds the signature to its request, its record and the content it signed."""
    payload = {
        "request": request.id, "flow": request.flow_kind, "record_type": request.record_type,
        "record_id": request.record_id, "step": sig.step, "signer_id": sig.signer_id,
        "signer_name": sig.signer_name, "meaning": sig.meaning, "decision": sig.decision,
        "comment": sig.comment or "", "signed_at": sig.signed_at.isoformat(timespec="microseconds"),
        "content_hash": sig.content_hash, "prev_hash": sig.prev_hash,
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def chain_problems(request: ApprovalRequest) -> list[str]:
    """Why the request's signatures do not verify (empty when they all do)."""
    problems, prev = [], request.content_hash
    for sig in request.signatures:
        if sig.request_id != request.id or sig.content_hash != request.content_hash:
            problems.append(f"signature {sig.id}: signed other content")
        if sig.prev_hash != prev:
            problems.append(f"signature {sig.id}: chain broken")
        if signature_hash(sig, request) != sig.hash:
            problems.append(f"signature {sig.id}: altered")
        prev = sig.hash
    return problems


@dataclass
class Validity:
    """Whether a record's current content is what its latest approval signed."""

    state: str  # "valid", "invalid" (签字失效) or "unsigned"
    version: RecordVersion | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def invalid(self) -> bool:
        return self.state == "invalid"


def latest_version(record_type: str, record_id: int) -> RecordVersion | None:
    query = (select(RecordVersion).where(RecordVersion.record_type == record_type,
                                         RecordVersion.record_id == record_id)
             .order_by(RecordVersion.number.desc()).limit(1))
    return db.session.scalar(query)


def record_version(record_type: str, record_id: int, snapshot: dict,
                   request: ApprovalRequest) -> RecordVersion:
    """`snapshot` as the record's next signed version, attested by `request` (added to the
    session; every signed kind records its versions this one way)."""
    previous = latest_version(record_type, record_id)
    version = RecordVersion(record_type=record_type, record_id=record_id,
                            number=(previous.number + 1) if previous else 1,
                            snapshot=canonical_json(snapshot),
                            content_hash=content_hash(snapshot), approval_request_id=request.id)
    db.session.add(version)
    return version


def attested_hashes(request: ApprovalRequest) -> set[str]:
    """The record contents a request's signatures attest: what was submitted, or for a change
    request the state its approval produces (its snapshot's result_hash)."""
    return {request.content_hash, json.loads(request.snapshot).get("result_hash")} - {None}


def validity(record_type: str, record_id: int, current_snapshot: dict) -> Validity:
    """Recomputes the current content hash and the signatures that attest the latest version."""
    version = latest_version(record_type, record_id)
    if version is None:
        return Validity("unsigned")
    problems = chain_problems(version.approval_request)
    if content_hash(json.loads(version.snapshot)) != version.content_hash:
        problems.append(f"version {version.number}: altered")
    if version.content_hash not in attested_hashes(version.approval_request):
        problems.append(f"version {version.number}: not what was signed")
    if content_hash(current_snapshot) != version.content_hash:
        problems.insert(0, "content differs from the signed version")
    return Validity("invalid" if problems else "valid", version, problems)
