"""合同变更 (表5-15 申请单, 表5-16 通知单): a change of an active contract is filed with the
proposed contract, runs its own flow (拟制 → 审核 → 批准), and when approved becomes the
contract's next signed version; the departments chosen are notified in the application."""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import policy
from app.extensions import db
from app.models import (
    ChangeBasis,
    ChangeInitiator,
    Contract,
    ContractChange,
    ContractStatus,
    Department,
    DeptCode,
    Level,
    Payment,
    RequestStatus,
    User,
)
from app.models.approvals import ApprovalRequest
from app.models.base import utcnow
from app.policy.actions import Action
from app.services.approvals import engine as approvals
from app.services.approvals.signatures import content_hash, latest_version
from app.services.core import audit, notifications
from app.services.core.notifications import Link
from app.services.sales.contracts.data import (
    ContractData,
    Problem,
    data_of,
    from_plain,
    plain,
    problems,
)
from app.services.sales.contracts.operations import Invalid, apply_data, described
from app.services.sales.contracts.review import new_version, signed_snapshot

CHANGE_FLOW = "contract.change"
NOTICE_KIND = "contract_change_notice"


@dataclass
class ChangeInfo:
    """The 申请单's own fields: 变更内容, 提出更改单位, 变更依据, 通知部门, 备注."""

    content: str
    initiated_by: ChangeInitiator
    basis: list[ChangeBasis] = field(default_factory=list)
    basis_other: str | None = None
    notify: list[DeptCode] = field(default_factory=list)
    remarks: str | None = None


def proposed_data(change: ContractChange) -> ContractData:
    return from_plain(json.loads(change.proposed))


def basis_of(change: ContractChange) -> list[ChangeBasis]:
    return [ChangeBasis(code) for code in change.basis.split(",") if code]


def departments_of(change: ContractChange) -> list[DeptCode]:
    return [DeptCode(code) for code in change.notify_departments.split(",") if code]


def paid_by_term(contract: Contract) -> dict[int, Decimal]:
    """{term id: amount received against it}."""
    rows = db.session.execute(select(Payment.term_id, func.sum(Payment.amount))
                              .where(Payment.contract_id == contract.id)
                              .group_by(Payment.term_id))
    return {term_id: Decimal(paid) for term_id, paid in rows if paid}


def _conflicts(contract: Contract, data: ContractData) -> list[tuple[str, object, Decimal]]:
    """("removed" | "reduced", term, paid) for terms with payments that the change would
    delete or cut below what was received."""
    paid_so_far, wanted = paid_by_term(contract), {t.id: t for t in data.terms if t.id}
    found = []
    for term in contract.terms:
        paid = paid_so_far.get(term.id)
        if paid and term.id not in wanted:
            found.append(("removed", term, paid))
        elif paid and wanted[term.id].amount < paid:
            found.append(("reduced", term, paid))
    return found


def term_conflicts(contract: Contract, data: ContractData) -> list[Problem]:
    """Why the proposed terms would contradict the payments already received."""
    messages = {"removed": _l("「%(kind)s」已有回款 ¥%(paid)s，不能删除。"),
                "reduced": _l("「%(kind)s」已有回款 ¥%(paid)s，金额不能低于已回款金额。")}
    return [Problem(str(messages[what]) % {"kind": term.kind.label, "paid": f"{paid:,.2f}"},
                    group="terms") for what, term, paid in _conflicts(contract, data)]


def pending_change(contract: Contract) -> ContractChange | None:
    return db.session.scalar(select(ContractChange).where(
        ContractChange.contract_id == contract.id,
        ContractChange.status == RequestStatus.PENDING))


def _info_problems(info: ChangeInfo) -> list[Problem]:
    found = []
    if not info.content.strip():
        found.append(Problem(_("请填写合同变更内容。"), "change_content"))
    if not info.basis:
        found.append(Problem(_("请至少选择一项变更依据。"), "basis"))
    if ChangeBasis.OTHER in info.basis and not (info.basis_other or "").strip():
        found.append(Problem(_("选择「其他」时请注明变更依据。"), "basis_other"))
    return found


def _check_proposal(contract: Contract, data: ContractData, info: ChangeInfo,
                    actor: User) -> None:
    if contract.status != ContractStatus.ACTIVE:
        raise approvals.ApprovalError(_("只有已生效的合同可以申请变更。"))
    # PostgreSQL: two colleagues filing at once queue here, the second then sees the first.
    db.session.execute(select(Contract.id).where(Contract.id == contract.id).with_for_update())
    if pending_change(contract):
        raise approvals.ApprovalError(_("该合同已有待审批的变更申请，请等待审批结束后再提交。"))
    found = _info_problems(info) + problems(data, contract.customer, actor)
    found = found or term_conflicts(contract, data)
    if not found and plain(data, False) == plain(data_of(contract), False):
        found = [Problem(_("变更后的合同与当前合同相同，没有需要变更的内容。"))]
    if found:
        raise Invalid(found)


def propose_change(contract: Contract, data: ContractData, info: ChangeInfo,
                   actor: User) -> ContractChange:
    """Files a change request and starts its flow; refuses a contract that is not active, a
    second pending change, values a rule refuses and a change that changes nothing."""
    data.customer_id = contract.customer_id  # a change keeps its 订货单位
    _check_proposal(contract, data, info, actor)
    version = latest_version("Contract", contract.id)
    change = ContractChange(
        contract_id=contract.id, contract=contract,
        base_version=version.number if version else 0, content=info.content.strip(),
        initiated_by=info.initiated_by, basis=",".join(b.value for b in info.basis),
        basis_other=(info.basis_other or "").strip() or None,
        notify_departments=",".join(d.value for d in info.notify),
        proposed=audit.canonical_json(plain(data)), remarks=info.remarks,
        status=RequestStatus.PENDING, requested_by_id=actor.id)
    db.session.add(change)
    db.session.flush()
    approvals.submit(CHANGE_FLOW, change, actor)
    return change


def notice_recipients(change: ContractChange) -> list[User]:
    """Active users of the departments to notify who are cleared for the contract."""
    codes = departments_of(change)
    if not codes:
        return []
    return list(db.session.scalars(
        select(User).join(Department, User.department_id == Department.id)
        .where(Department.code.in_(codes), User.active.is_(True),
               User.clearance >= change.contract.confidentiality)
        .order_by(User.id)))


def _apply(change: ContractChange) -> None:
    contract = change.contract
    before = described(contract)
    apply_data(contract, proposed_data(change), contract.customer)
    db.session.flush()
    audit.record("contract_changed", contract, changes={
        "change": change.id, **audit.field_changes(before, described(contract))})


class ContractChangeKind:
    """合同变更: applies the proposed contract as a new signed version when approved."""

    record_type = "ContractChange"

    def load(self, record_id: int) -> ContractChange:
        return db.session.get(ContractChange, record_id)

    def subject(self, change: ContractChange) -> Contract:
        return change.contract

    def snapshot(self, change: ContractChange) -> dict:
        contract, proposed = change.contract, proposed_data(change)
        return {"record": "ContractChange", "id": change.id, "contract_id": contract.id,
                "base_version": change.base_version, "content": change.content,
                "initiated_by": change.initiated_by.value, "basis": change.basis,
                "basis_other": change.basis_other, "notify": change.notify_departments,
                "remarks": change.remarks, "proposed": plain(proposed, with_ids=False),
                "result_hash": content_hash(signed_snapshot(contract, proposed)),
                # A payment received meanwhile against a term the change removes or cuts
                # changes this, so nobody can sign a change the payments contradict.
                "conflicts": [f"{what}:{term.id}:{paid}"
                              for what, term, paid in _conflicts(contract, proposed)]}

    def department_id(self, change: ContractChange) -> int:
        return change.contract.department_id

    def level(self, change: ContractChange) -> Level:
        return max(change.contract.confidentiality, proposed_data(change).confidentiality)

    def title(self, change: ContractChange) -> str:
        return f"{change.contract.number} {change.contract.name}"

    def link(self, change: ContractChange) -> Link:
        return Link("sales.contract_detail", {"contract_id": change.contract_id})

    def numbers(self, change: ContractChange) -> dict:
        return {"amount": proposed_data(change).total}

    def submitted(self, change: ContractChange, request: ApprovalRequest) -> None:
        change.status = RequestStatus.PENDING

    def approved(self, change: ContractChange, request: ApprovalRequest) -> None:
        _apply(change)
        change.status = RequestStatus.APPROVED
        change.applied_at = utcnow()
        new_version(change.contract, request)
        link = self.link(change)
        for user in notice_recipients(change):
            # Colleagues outside the contract's scope get the notice without a dead link.
            shown = link if policy.can(user, Action.VIEW, change.contract) else None
            notifications.notify(user.id, NOTICE_KIND, shown, title=self.title(change),
                                 content=change.content[:200])

    def returned(self, change: ContractChange, request: ApprovalRequest) -> None:
        change.status = request.status
