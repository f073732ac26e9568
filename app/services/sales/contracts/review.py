"""合同评审 (表5-14) in the approval engine: a draft is submitted, the sales manager reviews it and,
from the amount the flow sets (¥500,000 by default), the GM approves it; it then takes effect as
a signed version. Rejection or withdrawal returns it to draft."""

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import Contract, ContractStatus, Level, User
from app.models.approvals import ApprovalRequest, RecordVersion, RequestStatus
from app.services.approvals import engine as approvals
from app.services.approvals.signatures import Validity, record_version, validity
from app.services.core.notifications import Link
from app.services.sales.contracts.data import ContractData, data_of, plain, problems

REVIEW_FLOW = "contract.review"
RECORD_TYPE = "Contract"


def signed_snapshot(contract: Contract, data: ContractData | None = None) -> dict:
    """What a signature attests: every contract value with its lines and terms (`data`: the
    values a change proposes). Who manages the contract is not part of it."""
    values = plain(data or data_of(contract), with_ids=False)
    return {"record": RECORD_TYPE, "id": contract.id, "number": contract.number, **values}


def contract_validity(contract: Contract) -> Validity:
    return validity(RECORD_TYPE, contract.id, signed_snapshot(contract))


def new_version(contract: Contract, request: ApprovalRequest) -> RecordVersion:
    """Records the contract's current content as its next signed version."""
    return record_version(RECORD_TYPE, contract.id, signed_snapshot(contract), request)


class ContractReview:
    """合同评审: the review of a draft contract; approval makes it 已生效."""

    record_type = RECORD_TYPE

    def load(self, record_id: int) -> Contract:
        return db.session.get(Contract, record_id)

    def subject(self, contract: Contract) -> Contract:
        return contract

    def snapshot(self, contract: Contract) -> dict:
        return signed_snapshot(contract)

    def department_id(self, contract: Contract) -> int:
        return contract.department_id

    def level(self, contract: Contract) -> Level:
        return contract.confidentiality

    def title(self, contract: Contract) -> str:
        return f"{contract.number} {contract.name}"

    def link(self, contract: Contract) -> Link:
        return Link("sales.contract_detail", {"contract_id": contract.id})

    def numbers(self, contract: Contract) -> dict:
        return {"amount": contract.total_amount}

    def submitted(self, contract: Contract, request: ApprovalRequest) -> None:
        contract.status = ContractStatus.SUBMITTED

    def approved(self, contract: Contract, request: ApprovalRequest) -> None:
        contract.status = ContractStatus.ACTIVE
        db.session.flush()
        new_version(contract, request)

    def returned(self, contract: Contract, request: ApprovalRequest) -> None:
        contract.status = ContractStatus.DRAFT


def submit_review(contract: Contract, submitter: User) -> ApprovalRequest:
    """Submits a draft for review; refuses a contract that is not a draft or whose values no
    longer meet the rules (e.g. terms that do not add up)."""
    if contract.status != ContractStatus.DRAFT:
        raise approvals.ApprovalError(_("只有草稿状态的合同可以提交评审。"))
    found = problems(data_of(contract), contract.customer, submitter)
    if found:
        raise approvals.ApprovalError(found[0].message, 422)
    return approvals.submit(REVIEW_FLOW, contract, submitter)


# Built once: a draft contract's page asks it on every visit.
_LATEST_REVIEW = (select(ApprovalRequest).where(ApprovalRequest.record_type == RECORD_TYPE,
                                                ApprovalRequest.record_id == bindparam("contract"),
                                                ApprovalRequest.flow_kind == REVIEW_FLOW)
                  .order_by(ApprovalRequest.id.desc()).limit(1))


def last_rejection(contract: Contract):
    """The signature that last sent the contract back (its comment says what to fix), if the
    latest review request was rejected."""
    request = db.session.scalar(_LATEST_REVIEW, {"contract": contract.id})
    if request is None or request.status != RequestStatus.REJECTED or not request.signatures:
        return None
    return request.signatures[-1]
