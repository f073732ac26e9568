"""Approval flows as data, requests with frozen content, signatures, change requests, versions."""

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import Department, Level, Role, User
from app.models.base import Choice, LevelType, TimestampMixin, choice_column, utcnow


class ApproverRule(Choice):
    RECORD_DEPT_MANAGER = ("record_dept_manager", _l("记录所属部门的经理"))
    SUBMITTER_DEPT_MANAGER = ("submitter_dept_manager", _l("提交人所在部门的经理"))
    GM = ("gm", _l("总经理"))
    ROLE_IN_DEPT = ("role_in_dept", _l("指定部门的指定角色"))
    # 002 篇七 1.5: the record's department's manager when it is the submitter's own department,
    # the GM for any other department's record (archive loans).
    OWN_DEPT_MANAGER_ELSE_GM = ("own_dept_manager_else_gm",
                                _l("本部门记录由部门经理，其他由总经理"))


class StepMode(Choice):
    ANY = ("any", _l("或签（任一人签即可）"))
    ALL = ("all", _l("会签（全部人员均须签）"))


class Meaning(Choice):
    REVIEW = ("review", _l("审核"))
    APPROVAL = ("approval", _l("批准"))
    COUNTERSIGN = ("countersign", _l("会签"))


class RequestStatus(Choice):
    PENDING = ("pending", _l("审批中"))
    APPROVED = ("approved", _l("已批准"))
    REJECTED = ("rejected", _l("已驳回"))
    WITHDRAWN = ("withdrawn", _l("已撤回"))


class Decision(Choice):
    APPROVE = ("approve", _l("同意"))
    REJECT = ("reject", _l("驳回"))


class ApprovalFlow(TimestampMixin, db.Model):
    """The steps a kind of record goes through (e.g. customer.review); edited by admins."""

    __tablename__ = "approval_flows"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    steps: Mapped[list["ApprovalStep"]] = relationship(
        order_by="ApprovalStep.position", cascade="all, delete-orphan", back_populates="flow")


class ApprovalStep(db.Model):
    __tablename__ = "approval_steps"
    __table_args__ = (UniqueConstraint("flow_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    flow_id: Mapped[int] = mapped_column(ForeignKey("approval_flows.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    rule: Mapped[ApproverRule] = mapped_column(choice_column(ApproverRule, 32))
    role: Mapped[Role | None] = mapped_column(choice_column(Role))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    mode: Mapped[StepMode] = mapped_column(choice_column(StepMode), default=StepMode.ANY)
    meaning: Mapped[Meaning] = mapped_column(choice_column(Meaning), default=Meaning.REVIEW)
    # Optional condition: the step applies only when the record's field is >= threshold.
    condition_field: Mapped[str | None] = mapped_column(String(40))
    threshold: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))

    flow: Mapped[ApprovalFlow] = relationship(back_populates="steps")
    department: Mapped[Department | None] = relationship()


class ApprovalRequest(TimestampMixin, db.Model):
    """One submission of one record: its frozen content, the steps that apply, its outcome."""

    __tablename__ = "approval_requests"
    __table_args__ = (
        Index("ix_approval_requests_record", "record_type", "record_id"),
        Index("ix_approval_requests_submitter", "submitted_by_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    flow_kind: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    confidentiality: Mapped[Level] = mapped_column(LevelType(Level))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[RequestStatus] = mapped_column(choice_column(RequestStatus),
                                                  default=RequestStatus.PENDING, index=True)
    current_step: Mapped[int | None] = mapped_column(Integer)
    # The applicable steps, frozen at submission (admin edits do not move running requests).
    steps_json: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Bumped by every signer first: the row lock that serialises concurrent signatures.
    lock_version: Mapped[int] = mapped_column(Integer, default=0)

    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    department: Mapped[Department] = relationship()
    signatures: Mapped[list["Signature"]] = relationship(
        order_by="Signature.id", back_populates="request")
    assignments: Mapped[list["ApprovalAssignment"]] = relationship(back_populates="request")


class ApprovalAssignment(db.Model):
    """Who must (或签: may) sign a step, resolved when the step becomes current."""

    __tablename__ = "approval_assignments"
    __table_args__ = (
        UniqueConstraint("request_id", "step", "user_id"),
        Index("ix_approval_assignments_inbox", "user_id", "done"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id"))
    step: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # True once the step no longer waits for this user (signed, or the step/request ended).
    done: Mapped[bool] = mapped_column(Boolean, default=False)

    request: Mapped[ApprovalRequest] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship()


class Signature(db.Model):
    """An e-signature: who, which step, meaning, decision, when, over which content."""

    __tablename__ = "signatures"
    __table_args__ = (UniqueConstraint("request_id", "step", "signer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    step_name: Mapped[str] = mapped_column(String(100))
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(100))
    signer_employee_no: Mapped[str] = mapped_column(String(20))
    meaning: Mapped[Meaning] = mapped_column(choice_column(Meaning))
    decision: Mapped[Decision] = mapped_column(choice_column(Decision))
    comment: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    request: Mapped[ApprovalRequest] = relationship(back_populates="signatures")


class ChangeRequest(TimestampMixin, db.Model):
    """A proposed change (变更) to an approved record; applied as a new version when approved."""

    __tablename__ = "change_requests"
    __table_args__ = (Index("ix_change_requests_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    base_version: Mapped[int] = mapped_column(Integer)
    original: Mapped[str] = mapped_column(Text)  # JSON {field: old}
    proposed: Mapped[str] = mapped_column(Text)  # JSON {field: new}
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(choice_column(RequestStatus),
                                                  default=RequestStatus.PENDING)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime)

    requested_by: Mapped[User] = relationship()


class RecordVersion(db.Model):
    """An approved state of a record, with the request whose signatures attest it."""

    __tablename__ = "record_versions"
    __table_args__ = (UniqueConstraint("record_type", "record_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    approval_request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    approval_request: Mapped[ApprovalRequest] = relationship()
