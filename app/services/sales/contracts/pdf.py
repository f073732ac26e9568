"""Contract prints: 销售合同评审表 (表5-14), 合同变更申请单 (表5-15) and 合同变更通知单
(表5-16), each with its signatures (printed name, meaning, time) and audited."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    ApprovalRequest,
    ChangeBasis,
    ChangeInitiator,
    Contract,
    ContractChange,
    Department,
    DeptCode,
    Meaning,
    RecordVersion,
    RequestStatus,
    TemplateSource,
    TermKind,
    User,
)
from app.services.approvals.engine import pending_request
from app.services.core.loading import load_related
from app.services.core.money import rmb_upper
from app.services.core.pdf import Printed, render, watermark
from app.services.sales.contracts.changes import basis_of, departments_of
from app.services.sales.contracts.history import change_rows, load_page
from app.services.sales.contracts.review import RECORD_TYPE, contract_validity
from app.timeutil import local_today


@dataclass
class SignRow:
    """A signature as the forms print it: department, printed name, meaning, time."""

    department: str
    name: str
    employee_no: str
    step: str
    meaning: Meaning
    decision: str
    decision_code: str
    signed_at: datetime
    comment: str


def sign_rows(request: ApprovalRequest | None) -> list[SignRow]:
    if request is None:
        return []
    rows = []
    for sig in request.signatures:
        signer = db.session.get(User, sig.signer_id)
        rows.append(SignRow(str(signer.department.label) if signer else "", sig.signer_name,
                            sig.signer_employee_no, sig.step_name, sig.meaning,
                            str(sig.decision.label), sig.decision.value, sig.signed_at,
                            sig.comment or ""))
    return rows


def review_sheet(contract: Contract, viewer: User) -> Printed:
    """销售合同评审表 of a contract: its values, 大写 amount, and the signatures that attest its
    current version (or, before approval, those given so far); the print is audited."""
    load_page(contract)
    validity = contract_validity(contract)
    request = (validity.version.approval_request if validity.version
               else pending_request(RECORD_TYPE, contract.id))
    applied = db.session.scalars(select(ContractChange).where(
        ContractChange.contract_id == contract.id,
        ContractChange.status == RequestStatus.APPROVED).order_by(ContractChange.id)).all()
    level = contract.confidentiality
    data = render("pdf/sales/contract_review.html", contract=contract, validity=validity,
                  department=db.session.get(Department, contract.department_id),
                  amount_words=rmb_upper(contract.total_amount), signs=sign_rows(request),
                  sources=list(TemplateSource), term_kinds=list(TermKind), applied=applied,
                  level=level, watermark=watermark(level, viewer), print_date=local_today())
    return Printed.named(data, _("销售合同评审表"), "contract-review", contract.number).audited(
        contract, viewer)


def change_request_of(change: ContractChange) -> ApprovalRequest | None:
    return db.session.scalar(select(ApprovalRequest).where(
        ApprovalRequest.record_type == "ContractChange", ApprovalRequest.record_id == change.id)
        .order_by(ApprovalRequest.id.desc()).limit(1))


def _change_context(change: ContractChange, viewer: User) -> dict:
    load_related([change], joinedload(ContractChange.requested_by))
    load_page(change.contract)
    request = change_request_of(change)
    level = max(change.contract.confidentiality,
                request.confidentiality if request else change.contract.confidentiality)
    return dict(change=change, contract=change.contract, request=request, rows=change_rows(change),
                department=db.session.get(Department, change.contract.department_id),
                signs=sign_rows(request), basis=basis_of(change), all_basis=list(ChangeBasis),
                initiators=list(ChangeInitiator),
                notify=departments_of(change), departments=_departments(), level=level,
                watermark=watermark(level, viewer), print_date=local_today())


def _departments() -> list[DeptCode]:
    return [d.code for d in db.session.scalars(select(Department).order_by(Department.id))]


def change_request_sheet(change: ContractChange, viewer: User) -> Printed:
    """合同变更申请单 of one change: content, initiator, basis, departments, 拟制 / 审核 / 批准."""
    data = render("pdf/sales/contract_change_request.html", **_change_context(change, viewer))
    number = f"{change.contract.number}-{change.id}"
    return Printed.named(data, _("合同变更申请单"), "contract-change", number).audited(
        change.contract, viewer)


def change_notice(change: ContractChange, viewer: User) -> Printed:
    """合同变更通知单 of an approved change: what changed (old → new), the version it made, whom it
    notifies, and who approved it."""
    context = _change_context(change, viewer)
    request = context["request"]
    context["version"] = db.session.scalar(select(RecordVersion).where(
        RecordVersion.approval_request_id == request.id)) if request else None
    data = render("pdf/sales/contract_change_notice.html", **context)
    number = f"{change.contract.number}-{change.id}"
    return Printed.named(data, _("合同变更通知单"), "contract-change-notice", number).audited(
        change.contract, viewer)
