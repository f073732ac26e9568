"""`flask approvals verify`: every signed record still matches what was signed."""

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest, RecordVersion, Signature
from app.services.approvals.signatures import chain_problems, validity
from app.services.core.record_kinds import kind_of


@dataclass
class Finding:
    record_type: str
    record_id: int
    label: str
    problems: list[str]


def _signed_records():
    """(record_type, record_id) of every record with at least one signed version."""
    return db.session.execute(select(RecordVersion.record_type, RecordVersion.record_id)
                              .group_by(RecordVersion.record_type, RecordVersion.record_id)
                              .order_by(RecordVersion.record_type, RecordVersion.record_id))


def invalid_records() -> list[Finding]:
    """Records whose current content or signatures no longer verify (签字失效)."""
    findings = []
    for record_type, record_id in _signed_records():
        kind = kind_of(record_type)
        record = kind.load(record_id)
        if record is None:
            findings.append(Finding(record_type, record_id, "-", ["record deleted"]))
            continue
        result = validity(record_type, record_id, kind.snapshot(record))
        if result.invalid:
            findings.append(Finding(record_type, record_id, kind.title(record), result.problems))
    return findings


def broken_requests() -> list[Finding]:
    """Requests (any state) whose signature chain does not verify."""
    signed = select(Signature.request_id).distinct()
    findings = []
    for request in db.session.scalars(select(ApprovalRequest).where(
            ApprovalRequest.id.in_(signed)).order_by(ApprovalRequest.id)):
        problems = chain_problems(request)
        if problems:
            findings.append(Finding("ApprovalRequest", request.id, request.title, problems))
    return findings
