"""What a filed copy carries besides its pages: the signed snapshot (the version's canonical
JSON, byte for byte what its content hash covers) and the signature chain that attests it."""

import json
from io import BytesIO

import pikepdf

from app.models import RecordVersion
from app.services.approvals.signatures import attested_hashes
from app.services.core.audit import canonical_json

SNAPSHOT_FILE, SIGNATURES_FILE = "record.json", "signatures.json"


def signature_chain(version: RecordVersion) -> dict:
    """The approval request behind the version and each signature with its chained hashes."""
    request = version.approval_request
    return {
        "record_type": version.record_type, "record_id": version.record_id,
        "version": version.number, "content_hash": version.content_hash,
        "request": {"id": request.id, "flow": request.flow_kind,
                    "content_hash": request.content_hash,
                    "attested_hashes": sorted(attested_hashes(request)),
                    "submitted_by_id": request.submitted_by_id,
                    "decided_at": request.decided_at},
        "signatures": [{
            "step": sig.step, "step_name": sig.step_name, "signer_id": sig.signer_id,
            "signer_name": sig.signer_name, "signer_employee_no": sig.signer_employee_no,
            "meaning": sig.meaning, "decision": sig.decision, "comment": sig.comment or "",
            "signed_at": sig.signed_at.isoformat(timespec="microseconds"),
            "content_hash": sig.content_hash, "prev_hash": sig.prev_hash, "hash": sig.hash,
        } for sig in request.signatures],
    }


def attachments(version: RecordVersion) -> tuple[tuple[str, str, str], ...]:
    """The copy's attached files as core.pdf.Archival takes them."""
    return (
        (SNAPSHOT_FILE, "signed record snapshot (canonical JSON)", version.snapshot),
        (SIGNATURES_FILE, "signature chain", canonical_json(signature_chain(version))),
    )


def read_attachment(data: bytes, name: str) -> dict:
    """One attached JSON file of a filed copy, parsed (tests and the four-property check)."""
    with pikepdf.open(BytesIO(data)) as pdf:
        return json.loads(pdf.attachments[name].get_file().read_bytes())
