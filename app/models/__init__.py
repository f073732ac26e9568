"""All models, imported so Alembic and the app see one metadata."""

from app.models.accounts import Department, DeptCode, Level, Role, User
from app.models.audit import AuditEvent, AuditHead
from app.models.customers import (
    Customer,
    CustomerKind,
    CustomerType,
    Grade,
    Industry,
    Source,
)
from app.models.numbering import NumberCounter

__all__ = [
    "AuditEvent",
    "AuditHead",
    "Customer",
    "CustomerKind",
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
