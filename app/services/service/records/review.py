"""审核 of a closed service record (客户服务记录表's signature block: 负责人, 客户确认, 审核) in
the approval engine: once the customer confirmed and the record is 已关闭, its handler or the
客服 manager submits it and the 客服 manager of its department signs; the approval records the
content as a signed version, which is what the archive files. A later change of the content
(an edit) makes the signature 签字失效 until the record is reviewed again."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Level, User
from app.models.approvals import ApprovalRequest, RecordVersion
from app.models.service.records import ServiceRecord, ServiceStatus
from app.services.approvals import engine as approvals
from app.services.approvals.signatures import (
    Validity,
    pii_digest,
    record_version,
    validity,
)
from app.services.core import audit
from app.services.core.loading import load_related
from app.services.core.notifications import Link
from app.services.service.records.data import snapshot as content_snapshot

REVIEW_FLOW = "service.record_review"
RECORD_TYPE = "ServiceRecord"
# What the sheet shows beyond the editable content: who handled it, the customer's
# confirmation and the closure. SLA figures are left out: a calendar change recomputes them,
# which must not void a signature.
SIGNED_FIELDS = ("number", "customer_id", "department_id", "confidentiality", "status",
                 "first_receiver_id", "handler_id", "satisfaction", "confirmed_at",
                 "confirmed_by", "confirmation_method", "confirmation_recorded_by_id",
                 "abandoned", "closed_at")


def _json_safe(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return audit.plain_value(value) if hasattr(value, "value") else value


def signed_snapshot(record: ServiceRecord) -> dict:
    """What the 审核 signature attests: the sheet's fields as plain JSON values, the phone as
    a digest (never in clear in an approval)."""
    load_related([record], selectinload(ServiceRecord.collaborators),
                 selectinload(ServiceRecord.parts))
    values = {name: _json_safe(value) for name, value in content_snapshot(record).items()}
    values.update({name: _json_safe(getattr(record, name)) for name in SIGNED_FIELDS})
    values["contact_phone"] = pii_digest(RECORD_TYPE, record.id, record.contact_phone)
    return {"record": RECORD_TYPE, "id": record.id, **values}


def record_validity(record: ServiceRecord) -> Validity:
    return validity(RECORD_TYPE, record.id, signed_snapshot(record))


def new_version(record: ServiceRecord, request: ApprovalRequest) -> RecordVersion:
    """The record's current content as its next signed version, attested by `request`."""
    return record_version(RECORD_TYPE, record.id, signed_snapshot(record), request)


class ServiceRecordReview:
    """客户服务记录审核: the approval makes the closed record's content a signed version."""

    record_type = RECORD_TYPE

    def load(self, record_id: int) -> ServiceRecord:
        return db.session.get(ServiceRecord, record_id)

    def subject(self, record: ServiceRecord) -> ServiceRecord:
        return record

    def snapshot(self, record: ServiceRecord) -> dict:
        return signed_snapshot(record)

    def department_id(self, record: ServiceRecord) -> int:
        return record.department_id

    def level(self, record: ServiceRecord) -> Level:
        return record.confidentiality

    def title(self, record: ServiceRecord) -> str:
        return record.number

    def link(self, record: ServiceRecord) -> Link:
        return Link("service.record_detail", {"record_id": record.id})

    def numbers(self, record: ServiceRecord) -> dict:
        return {}

    def submitted(self, record: ServiceRecord, request: ApprovalRequest) -> None:
        """The record stays 已关闭 while it waits: the review changes nothing of it."""

    def approved(self, record: ServiceRecord, request: ApprovalRequest) -> None:
        new_version(record, request)

    def returned(self, record: ServiceRecord, request: ApprovalRequest) -> None:
        """A rejected or withdrawn review leaves the record as it was (it may be resubmitted)."""


@dataclass
class ReviewState:
    """The record page's 审核 panel: whether the signature holds, the pending request."""

    validity: Validity
    pending: ApprovalRequest | None
    signatures: list  # those of the latest signed version (the sheet's 审核)
    submittable: bool  # what submit_review would accept now


def review_state(record: ServiceRecord) -> ReviewState:
    current = record_validity(record)
    request = current.version.approval_request if current.version else None
    signatures = list(request.signatures) if request else []
    pending = approvals.pending_request(RECORD_TYPE, record.id)
    submittable = _reviewable(record) and pending is None and current.state != "valid"
    return ReviewState(current, pending, signatures, submittable)


def _reviewable(record: ServiceRecord) -> bool:
    return record.status == ServiceStatus.CLOSED and record.confirmed_at is not None


def submit_review(record: ServiceRecord, submitter: User) -> ApprovalRequest:
    """Submits a closed, customer-confirmed record whose current content is neither signed
    nor waiting for a signature."""
    if not _reviewable(record):
        raise approvals.ApprovalError(_("只有已关闭且已登记客户确认的服务记录才能提交审核。"))
    if approvals.pending_request(RECORD_TYPE, record.id) is not None:
        raise approvals.ApprovalError(_("该服务记录已在审核中，请等待审核结束。"))
    if record_validity(record).state == "valid":
        raise approvals.ApprovalError(_("该服务记录的当前内容已审核签字，无需再次提交。"))
    return approvals.submit(REVIEW_FLOW, record, submitter)

