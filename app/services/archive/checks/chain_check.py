"""The record's signatures as the filed copy carries them (services/archive/chain: the signed
snapshot and the signature chain attached to the PDF) and as the database holds them: the
embedded chain must verify by itself (each signature's hash recomputed, each link to the one
before) and be the database's chain of that version, which must still verify too. A copy whose
attachments were swapped, or a database whose signatures were rewritten after filing, fails."""

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ApprovalRequest, RecordVersion
from app.services.approvals.signatures import chain_problems, content_hash, signature_hash

_SIGNED_FIELDS = ("step", "signer_id", "signer_name", "meaning", "decision", "comment",
                  "content_hash", "prev_hash")


def problems(item, snapshot: dict, chain: dict) -> list[str]:
    """Why the copy's snapshot and chain do not attest `item` (empty when they do)."""
    if content_hash(snapshot) != item.content_hash:
        return ["embedded snapshot does not hash to the filed content hash"]
    named = (chain.get("record_type"), chain.get("record_id"), chain.get("version"),
             chain.get("content_hash"))
    if named != (item.record_type, item.record_id, item.record_version, item.content_hash):
        return ["embedded chain names another record or version"]
    found = embedded_problems(chain)
    return found or database_problems(item, chain)


def embedded_problems(chain: dict) -> list[str]:
    """The embedded chain verified on its own: every signature's hash and link."""
    head = chain["request"]
    request = SimpleNamespace(id=head["id"], flow_kind=head["flow"],
                              record_type=chain["record_type"], record_id=chain["record_id"])
    found = []
    if chain["content_hash"] not in head.get("attested_hashes", ()):
        found.append("embedded version not attested by its request")
    if not chain["signatures"]:
        found.append("no signature embedded")
    previous = head["content_hash"]
    for number, entry in enumerate(chain["signatures"], 1):
        signature = SimpleNamespace(**{name: entry[name] for name in _SIGNED_FIELDS},
                                    signed_at=datetime.fromisoformat(entry["signed_at"]))
        if entry["prev_hash"] != previous:
            found.append(f"embedded signature {number}: chain broken")
        if signature_hash(signature, request) != entry["hash"]:
            found.append(f"embedded signature {number}: altered")
        previous = entry["hash"]
    return found


def database_problems(item, chain: dict) -> list[str]:
    """The database's signatures of the filed version against the embedded ones."""
    version = db.session.scalar(
        select(RecordVersion).where(RecordVersion.record_type == item.record_type,
                                    RecordVersion.record_id == item.record_id,
                                    RecordVersion.number == item.record_version)
        .options(selectinload(RecordVersion.approval_request)
                 .selectinload(ApprovalRequest.signatures)))
    if version is None:
        return ["signed version missing from the database"]
    request = version.approval_request
    if version.content_hash != item.content_hash or request.id != chain["request"]["id"]:
        return ["database holds another signed version"]
    if [s.hash for s in request.signatures] != [s["hash"] for s in chain["signatures"]]:
        return ["database signatures differ from the embedded chain"]
    return [f"database: {problem}" for problem in chain_problems(request)]
