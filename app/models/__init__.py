"""All models, imported so Alembic and the app see one metadata."""

from app.models.accounts import Department, DeptCode, Level, Role, User
from app.models.approvals import (
    ApprovalAssignment,
    ApprovalFlow,
    ApprovalRequest,
    ApprovalStep,
    ApproverRule,
    ChangeRequest,
    Decision,
    Meaning,
    RecordVersion,
    RequestStatus,
    Signature,
    StepMode,
)
from app.models.audit import AuditEvent, AuditHead
from app.models.customers import (
    Customer,
    CustomerKind,
    CustomerStatus,
    CustomerType,
    Grade,
    Industry,
    Source,
)
from app.models.notifications import Notification
from app.models.numbering import NumberCounter

__all__ = [
    "ApprovalAssignment",
    "ApprovalFlow",
    "ApprovalRequest",
    "ApprovalStep",
    "ApproverRule",
    "ChangeRequest",
    "Decision",
    "Meaning",
    "Notification",
    "RecordVersion",
    "RequestStatus",
    "Signature",
    "StepMode",
    "AuditEvent",
    "AuditHead",
    "Customer",
    "CustomerKind",
    "CustomerStatus",
    "CustomerType",
    "Department",
    "DeptCode",
    "Grade",
    "Industry",
    "Level",
    "NumberCounter",
    "Role",
    "Source",
    "User",
]
