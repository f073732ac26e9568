"""All models, imported so Alembic and the app see one metadata."""

from app.models import archive, calendar, data_versions, service  # noqa: F401  (their tables)
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
from app.models.contacts import Contact
from app.models.customers import (
    Customer,
    CustomerKind,
    CustomerStatus,
    CustomerType,
    Grade,
    Industry,
    Source,
)
from app.models.exports import PHONE_EXPORT_FLOW, PhoneExport
from app.models.grants import GRANT_FLOW, AccountGrant, GrantStatus
from app.models.jobs import DuplicateRule, ImportBatch, ImportStatus
from app.models.notifications import Notification
from app.models.numbering import NumberCounter
from app.models.sales.contracts import (
    ChangeBasis,
    ChangeInitiator,
    Contract,
    ContractChange,
    ContractKind,
    ContractLine,
    ContractStatus,
    PaymentTerm,
    TemplateSource,
    TermKind,
)
from app.models.sales.ledger import EntryKind, Payment, SalesEntry
from app.models.sales.ownership import OwnershipRequest, Referral, ReferralOutcome
from app.models.sales.visits import Interest, VisitPlan, VisitReport, VisitStatus
from app.models.sessions import RateLimitCounter, UserSession
from app.models.submissions import FormSubmission

__all__ = [
    "PHONE_EXPORT_FLOW",
    "PhoneExport",
    "GRANT_FLOW",
    "AccountGrant",
    "GrantStatus",
    "ApprovalAssignment",
    "ApprovalFlow",
    "ApprovalRequest",
    "ApprovalStep",
    "ApproverRule",
    "ChangeRequest",
    "Decision",
    "FormSubmission",
    "Meaning",
    "Notification",
    "RecordVersion",
    "RequestStatus",
    "Signature",
    "StepMode",
    "AuditEvent",
    "ChangeBasis",
    "ChangeInitiator",
    "Contact",
    "Contract",
    "ContractChange",
    "ContractKind",
    "ContractLine",
    "ContractStatus",
    "DuplicateRule",
    "EntryKind",
    "ImportBatch",
    "ImportStatus",
    "Interest",
    "OwnershipRequest",
    "Payment",
    "RateLimitCounter",
    "PaymentTerm",
    "Referral",
    "ReferralOutcome",
    "SalesEntry",
    "TemplateSource",
    "TermKind",
    "VisitPlan",
    "VisitReport",
    "VisitStatus",
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
    "UserSession",
]
