"""客户信息归属 (seed 001; 002 篇一): one owner per customer. A salesperson asks for another's
customer, the sales manager (the coordinator) decides through the approval engine (flow
"customer.transfer"); the approved transfer moves the customer with every sales record that
follows it (followers.follow_owner: contracts, payments, ledger rows, visits, referrals —
history included, since staff see their own customers' sales records), and makes a new signed
version of an active customer.

Only people who can own customers (active sales staff and the sales manager, can_own) ask,
each for themselves: the customer, and with it its department, goes to the one who asked, so a
department's claim is filed by its salesperson. People of departments whose members cannot own
customers (客服部, 风险管理部) and the GM are not offered the request at all
(policy.sales.OwnershipRules): the customer must always have an owner who can own it."""

from collections.abc import Callable, Hashable

from flask_babel import gettext as _
from sqlalchemy import Select, select, update
from sqlalchemy.orm import aliased, joinedload

from app.extensions import db
from app.models import (
    ApprovalRequest,
    Contract,
    ContractStatus,
    Customer,
    CustomerStatus,
    DeptCode,
    Level,
    OwnershipRequest,
    RequestStatus,
    Role,
    User,
    VisitPlan,
    VisitStatus,
)
from app.services.approvals import engine as approvals
from app.services.approvals.engine import ApprovalError
from app.services.approvals.pages import REQUEST_LOADS
from app.services.approvals.signatures import content_hash
from app.services.core import audit, notifications
from app.services.core.loading import load_related
from app.services.core.notifications import Link
from app.services.core.pagination import CountedRows, Sort, kept_rows_page
from app.services.customers import followers
from app.services.customers.operations import apply_key_changes
from app.services.customers.review import new_version, pending_change, signed_snapshot
from app.timeutil import to_local

FLOW = "customer.transfer"
OPEN_CONTRACTS = (ContractStatus.DRAFT, ContractStatus.SUBMITTED, ContractStatus.ACTIVE)
SORT = Sort(OwnershipRequest.id, True)


def can_own(user: User) -> bool:
    """Active sales staff and managers: the people a customer can belong to."""
    return (user.active and user.role in (Role.STAFF, Role.MANAGER)
            and user.in_department(DeptCode.SALES))


def may_request(user: User, customer: Customer) -> bool:
    """Could the user ask for this customer: a salesperson cleared for it who does not own it."""
    return (can_own(user) and user.id != customer.owner_id
            and user.clearance >= customer.confidentiality)


def pending_for(customer_id: int) -> OwnershipRequest | None:
    """The customer's undecided ownership request, if any (there is at most one)."""
    return db.session.scalar(select(OwnershipRequest).where(
        OwnershipRequest.customer_id == customer_id,
        OwnershipRequest.status == RequestStatus.PENDING))


def refusal(customer: Customer, requester: User) -> ApprovalError | None:
    """Why the requester may not ask for the customer now (None: they may)."""
    if requester.id == customer.owner_id:
        return ApprovalError(_("您已是该客户的负责人，无需申请。"), 409)
    if not can_own(requester):
        return ApprovalError(_("只有销售部在职的专员或部门经理可以申请成为客户负责人。"), 403)
    if requester.clearance < customer.confidentiality:
        return ApprovalError(_("您的涉密级别低于该客户的密级，不能成为其负责人。"), 403)
    if followers.above([customer.id], requester.clearance):
        return ApprovalError(_("该客户有密级高于您涉密级别的合同或销售记录，您不能成为其负责人。"),
                             403)
    if customer.status == CustomerStatus.SUBMITTED:
        return ApprovalError(_("该客户的档案正在审核中，请待审核结束后再申请。"), 409)
    if pending_change(customer):
        return ApprovalError(_("该客户有待审批的资料变更，请待审批结束后再申请。"), 409)
    if pending_for(customer.id):
        return ApprovalError(_("该客户已有待审批的归属变更申请，不能重复提交。"), 409)
    return None


def request_transfer(customer: Customer, requester: User, reason: str) -> OwnershipRequest:
    """Files the requester's claim on a customer and starts its approval; refuses the owner,
    non-salespeople, a customer under review or change, and a second pending request."""
    _lock(customer)
    problem = refusal(customer, requester)
    if problem:
        raise problem
    claim = OwnershipRequest(customer=customer, requested_by=requester,
                             from_owner_id=customer.owner_id, reason=reason,
                             status=RequestStatus.PENDING)
    db.session.add(claim)
    db.session.flush()
    approvals.submit(FLOW, claim, requester)
    notifications.notify(customer.owner_id, "ownership_requested", _link(claim),
                         customer=str(customer), requester=requester.full_name)
    return claim


def _lock(customer: Customer) -> None:
    """Takes the customer's row lock (PostgreSQL) or the write lock (SQLite) before the checks,
    so that two people asking at once are decided one after the other."""
    db.session.execute(update(Customer).where(Customer.id == customer.id)
                       .values(version=Customer.version, updated_at=Customer.updated_at)
                       .execution_options(synchronize_session=False))


def _link(claim: OwnershipRequest) -> Link:
    """The request's page (for notices and the approval inbox)."""
    return Link("sales.ownership_detail", {"request_id": claim.id})


def _transferable(claim: OwnershipRequest) -> bool:
    """Whether approving it now would be sound: the requester can still own the customer and
    every sales record that would follow it, and no other review or change of the customer is
    running. Part of the signed content, so a signature is refused (签字失效) while it does
    not hold, before anything is written."""
    customer, requester = claim.customer, claim.requested_by
    return (can_own(requester) and requester.clearance >= customer.confidentiality
            and customer.status != CustomerStatus.SUBMITTED and pending_change(customer) is None
            and not followers.above([customer.id], requester.clearance))


class OwnershipTransfer:
    """客户归属变更: the customer goes to the requester when the sales manager approves."""

    record_type = "OwnershipRequest"

    def load(self, record_id: int) -> OwnershipRequest:
        return db.session.get(OwnershipRequest, record_id)

    def subject(self, claim: OwnershipRequest) -> Customer:
        return claim.customer

    def snapshot(self, claim: OwnershipRequest) -> dict:
        customer = claim.customer
        result = signed_snapshot(customer, owner_id=claim.requested_by_id)
        return {"record": "OwnershipRequest", "id": claim.id, "customer_id": customer.id,
                "customer_number": customer.number, "from_owner_id": customer.owner_id,
                "to_owner_id": claim.requested_by_id, "reason": claim.reason,
                "transferable": _transferable(claim), "result_hash": content_hash(result)}

    def department_id(self, claim: OwnershipRequest) -> int:
        return claim.customer.department_id

    def level(self, claim: OwnershipRequest) -> Level:
        return claim.customer.confidentiality

    def title(self, claim: OwnershipRequest) -> str:
        customer = claim.customer
        return (f"{customer.number} {customer.name}："
                f"{claim.from_owner.full_name} → {claim.requested_by.full_name}")

    def link(self, claim: OwnershipRequest) -> Link:
        return _link(claim)

    def numbers(self, claim: OwnershipRequest) -> dict:
        return {}

    def submitted(self, claim: OwnershipRequest, request: ApprovalRequest) -> None:
        claim.status = RequestStatus.PENDING

    def approved(self, claim: OwnershipRequest, request: ApprovalRequest) -> None:
        _transfer(claim, request)

    def returned(self, claim: OwnershipRequest, request: ApprovalRequest) -> None:
        claim.status = request.status
        if request.status == RequestStatus.REJECTED:
            notifications.notify(claim.from_owner_id, "ownership_kept", _link(claim),
                                 customer=str(claim.customer),
                                 requester=claim.requested_by.full_name)


def _transfer(claim: OwnershipRequest, request: ApprovalRequest) -> None:
    """Applies an approved claim: the owner with every sales record of the customer, a new
    signed version; both notified."""
    customer, new_owner = claim.customer, claim.requested_by
    old_owner_id = customer.owner_id
    reassign_customer(customer, new_owner, request=claim.id)
    claim.status = RequestStatus.APPROVED
    db.session.flush()
    if customer.status == CustomerStatus.ACTIVE:
        new_version(customer, request)
    notifications.notify(old_owner_id, "ownership_transferred", _link(claim),
                         customer=str(customer), new_owner=new_owner.full_name)


def reassign_customer(customer: Customer, new_owner: User, **details):
    """Gives the customer to `new_owner` (derived fields and scope in step, its sales records
    along); audited as customer_reassigned with the old and new owner and how many records of
    each kind followed."""
    old_name = customer.owner.full_name
    moved = apply_key_changes(customer, {"owner_id": new_owner.id})
    return audit.record("customer_reassigned", customer, changes={
        "owner": [old_name, new_owner.full_name], **details, **moved})


def move_customers(condition, new_owner: User) -> int:
    """Customers matching `condition` go to `new_owner` in one statement (their derived fields
    do not depend on the owner), every sales record of theirs along; the version moves on, so
    open edit forms see the change."""
    # First: `condition` may name the old owner.
    followers.follow_owner(select(Customer.id).where(condition), new_owner)
    statement = (update(Customer).where(condition)
                 .values(owner_id=new_owner.id, department_id=new_owner.department_id,
                         version=Customer.version + 1)
                 .execution_options(synchronize_session="fetch"))
    return db.session.execute(statement).rowcount


def move_contracts(condition, new_owner: User) -> int:
    """Open contracts (草稿, 评审中, 已生效) matching `condition` go to the new owner (the
    departure hand-over's count of open work; their customers' records follow separately)."""
    statement = (update(Contract).where(condition, Contract.status.in_(OPEN_CONTRACTS))
                 .values(owner_id=new_owner.id, department_id=new_owner.department_id,
                         version=Contract.version + 1)
                 .execution_options(synchronize_session="fetch"))
    return db.session.execute(statement).rowcount


def move_visits(condition, new_owner: User) -> int:
    """Planned visits matching `condition` go to the new owner (the hand-over's count of open
    work; done ones follow their customer with the rest of its history)."""
    statement = (update(VisitPlan).where(condition, VisitPlan.status == VisitStatus.PLANNED)
                 .values(owner_id=new_owner.id, department_id=new_owner.department_id)
                 .execution_options(synchronize_session="fetch"))
    return db.session.execute(statement).rowcount


def requests_of(claim: OwnershipRequest) -> list[ApprovalRequest]:
    """The approval requests of a claim (its signatures: the history), oldest first, with the
    claim's customer and people as its page shows them."""
    load_related([claim], joinedload(OwnershipRequest.customer),
                 joinedload(OwnershipRequest.from_owner),
                 joinedload(OwnershipRequest.requested_by))
    return list(db.session.scalars(select(ApprovalRequest).where(
        ApprovalRequest.record_type == OwnershipTransfer.record_type,
        ApprovalRequest.record_id == claim.id).order_by(ApprovalRequest.id)
        .options(*REQUEST_LOADS)).unique())


def listing(requests: Callable[[], Select], viewer: User, extra: Hashable, after: str | None,
            before: str | None) -> CountedRows:
    """(page, count, capped) of the requests `requests` builds (scoped and filtered, `extra`
    naming the filters), newest first, as rows of what the list shows: the customer, the owner
    and the requester joined (one statement, built once per viewer and filters)."""
    return kept_rows_page("sales.ownership", viewer, extra, requests, _shown, OwnershipRequest,
                          SORT, after=after, before=before)


def _shown(counted: Select) -> Select:
    customer, from_owner, requester = aliased(Customer), aliased(User), aliased(User)
    return (counted.with_only_columns(
        OwnershipRequest.id, OwnershipRequest.reason, OwnershipRequest.status,
        OwnershipRequest.created_at, customer.number.label("customer_number"),
        customer.name.label("customer_name"), from_owner.full_name.label("from_owner_name"),
        requester.full_name.label("requester_name"))
        .join(customer, customer.id == OwnershipRequest.customer_id)
        .join(from_owner, from_owner.id == OwnershipRequest.from_owner_id)
        .join(requester, requester.id == OwnershipRequest.requested_by_id))


def export_table(scoped: Select):
    """(headers, rows) of every scoped request, the page's columns in the page's order."""
    from_owner, to_owner = aliased(User), aliased(User)
    query = (scoped.order_by(None).order_by(*SORT.order_by(OwnershipRequest, True))
             .join(Customer, Customer.id == OwnershipRequest.customer_id)
             .join(from_owner, from_owner.id == OwnershipRequest.from_owner_id)
             .join(to_owner, to_owner.id == OwnershipRequest.requested_by_id)
             .with_only_columns(OwnershipRequest.id, Customer.number, Customer.name,
                                from_owner.full_name, to_owner.full_name, OwnershipRequest.reason,
                                OwnershipRequest.status, OwnershipRequest.created_at))
    headers = (_("申请编号"), _("客户编号"), _("客户名称"), _("原负责人"), _("申请人（新负责人）"),
               _("申请理由"), _("状态"), _("申请时间"))
    rows = db.session.execute(query.execution_options(yield_per=2000))
    return headers, ((*row[:-1], to_local(row[-1]).strftime("%Y-%m-%d %H:%M")) for row in rows)
