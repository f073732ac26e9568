"""离职交接 (seed 002 篇七 1.6(4)): when the employee in charge of customers leaves, their
manager gives everything they still hold — customers, open contracts, planned visits — to one
active salesperson of the department, in one step; the customers' history (closed contracts,
payments, ledger rows, done visits and reports, referrals) follows them to the new owner
(followers.follow_owner); what they still hold in other departments (客服部's open service
records and due return visits: services.core.departures) is listed with them and goes along.
Departed = the owner's account is inactive."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import (
    ApprovalRequest,
    Contract,
    Customer,
    CustomerStatus,
    Department,
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
from app.services.approvals.signatures import content_hash
from app.services.core import audit, departures, errors, notifications
from app.services.core.notifications import Link
from app.services.customers import followers
from app.services.customers.review import new_version, signed_snapshot
from app.services.sales.ownership import transfers as ownership

HANDOVER_FLOW = "customer.handover"


@dataclass
class Scopes:
    """What the acting user may see of each kind (policy.scope selects, built by the view),
    and for the other departments' records (departures): the departed people the user hands
    over (departed_people) and the user's clearance."""

    customers: Select
    contracts: Select
    visits: Select
    leavers: Select
    level: Level


@dataclass
class Holdings:
    """What one departed owner still holds within the acting user's scope; `others`: in other
    departments, {kind: open records} (departures.kinds names them)."""

    user: User
    customers: int = 0
    contracts: int = 0
    visits: int = 0
    others: dict[str, int] = dataclass_field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.customers + self.contracts + self.visits + sum(self.others.values())


class Refused(errors.Refused):
    """A reassignment the rules refuse."""


def may_reassign(user: User) -> bool:
    """The sales department's manager, or the GM."""
    return user.role == Role.GM or (user.role == Role.MANAGER
                                    and user.in_department(DeptCode.SALES))


def departed_people(user: User) -> Select:
    """The ids of the departed people `user` hands over: their own department's (the sales
    manager), every sales department's (the GM)."""
    query = select(User.id).where(User.active.is_(False))
    if user.role == Role.MANAGER:
        return query.where(User.department_id == user.department_id)
    return query.join(Department, Department.id == User.department_id).where(
        Department.code == DeptCode.SALES)


def _held(scopes: Scopes, owner_ids) -> tuple[Select, Select, Select]:
    """The scoped selects narrowed to what `owner_ids` (a select or list of ids) still hold."""
    return (scopes.customers.where(Customer.owner_id.in_(owner_ids)),
            scopes.contracts.where(Contract.owner_id.in_(owner_ids),
                                   Contract.status.in_(ownership.OPEN_CONTRACTS)),
            scopes.visits.where(VisitPlan.owner_id.in_(owner_ids),
                                VisitPlan.status == VisitStatus.PLANNED))


def departed_holdings(scopes: Scopes) -> list[Holdings]:
    """Inactive owners who still hold customers, open contracts or planned visits in scope,
    and the departed people who still hold open records of other departments (only these,
    maybe), with the counts of each."""
    inactive = select(User.id).where(User.active.is_(False))
    found: dict[int, Holdings] = {}
    for field, query, model in zip(("customers", "contracts", "visits"), _held(scopes, inactive),
                                   (Customer, Contract, VisitPlan), strict=True):
        counted = (query.with_only_columns(model.owner_id, func.count()).order_by(None)
                   .group_by(model.owner_id))
        for owner_id, count in db.session.execute(counted):
            holding = found.setdefault(owner_id, Holdings(db.session.get(User, owner_id)))
            setattr(holding, field, count)
    for user_id, counts in departures.held(scopes.leavers, scopes.level).items():
        found.setdefault(user_id, Holdings(db.session.get(User, user_id))).others = counts
    return sorted(found.values(), key=lambda h: h.user.full_name)


def holdings_of(scopes: Scopes, user_id: int) -> Holdings | None:
    """One departed owner's holdings in scope (None: not a departed owner the user may see)."""
    return next((h for h in departed_holdings(scopes) if h.user.id == user_id), None)


def candidates(actor: User, departed: User) -> list[User]:
    """Active sales staff and managers of the department the records belong to."""
    department_id = actor.department_id if actor.role == Role.MANAGER else departed.department_id
    return [u for u in _sales_people(department_id) if u.id != departed.id]


def _sales_people(department_id: int) -> list[User]:
    """Active sales staff and managers of the department, by name."""
    query = (select(User).where(User.department_id == department_id, User.active.is_(True),
                                User.role.in_((Role.STAFF, Role.MANAGER)))
             .order_by(User.full_name))
    return [u for u in db.session.scalars(query) if ownership.can_own(u)]


def above_clearance(scopes: Scopes, departed: User, new_owner: User) -> Holdings:
    """The departed owner's records in scope whose level exceeds the new owner's clearance."""
    counts = Holdings(departed)
    for field, query, model in zip(("customers", "contracts", "visits"),
                                   _held(scopes, [departed.id]), (Customer, Contract, VisitPlan),
                                   strict=True):
        above = query.where(model.confidentiality > new_owner.clearance)
        setattr(counts, field, db.session.scalar(
            above.with_only_columns(func.count()).order_by(None)))
    return counts


def check(scopes: Scopes, actor: User, departed: User, new_owner: User | None) -> None:
    """Raises Refused unless `new_owner` may take over everything `departed` holds in scope."""
    if departed.active:
        raise Refused(_("%(name)s 仍在职，请通过客户归属变更申请调整负责人。",
                        name=departed.full_name))
    if new_owner is None or new_owner not in candidates(actor, departed):
        raise Refused(_("请选择本部门在职的销售人员作为新的负责人。"))
    above = above_clearance(scopes, departed, new_owner)
    if above.total:
        raise Refused(_("有 %(n)d 条记录（客户 %(c)d 个、合同 %(k)d 份、拜访计划 %(v)d 条）的密级"
                        "高于 %(name)s 的涉密级别（%(level)s），请选择涉密级别足够的人员。",
                        n=above.total, c=above.customers, k=above.contracts, v=above.visits,
                        name=new_owner.full_name, level=new_owner.clearance.label))
    customers = _ids(_held(scopes, [departed.id])[0], Customer)
    if followers.above(customers, new_owner.clearance):
        raise Refused(_("这些客户的部分合同或销售记录的密级高于 %(name)s 的涉密级别（%(level)s），"
                        "请选择涉密级别足够的人员。", name=new_owner.full_name,
                        level=new_owner.clearance.label))
    if departures.above(departed, new_owner.clearance):
        raise Refused(_("%(who)s 在其他部门未办结的记录（如客服服务记录、回访）的密级高于 %(name)s "
                        "的涉密级别（%(level)s），请选择涉密级别足够的人员。",
                        who=departed.full_name, name=new_owner.full_name,
                        level=new_owner.clearance.label))


def reassign(scopes: Scopes, actor: User, departed: User, new_owner: User,
             password: str) -> Holdings:
    """Gives `new_owner` every customer, open contract and planned visit `departed` holds in
    the actor's scope, the customers' other sales records along, in the caller's transaction;
    the actor's password signs the new owner of each active customer (flow customer.handover).
    Refuses (Refused) an owner who is not an active salesperson of the department or not
    cleared for every record, and (ApprovalError, before anything is written) a wrong
    password."""
    check(scopes, actor, departed, new_owner)
    approvals.verify_signer(actor, password)
    customers_q, contracts_q, visits_q = _held(scopes, [departed.id])
    rows = db.session.execute(customers_q.with_only_columns(
        Customer.id, Customer.number, Customer.status, Customer.confidentiality)
        .order_by(Customer.id)).all()
    moved = Holdings(new_owner, customers=len(rows))
    moved.contracts = ownership.move_contracts(Contract.id.in_(_ids(contracts_q, Contract)),
                                               new_owner)
    moved.visits = ownership.move_visits(VisitPlan.id.in_(_ids(visits_q, VisitPlan)), new_owner)
    ownership.move_customers(Customer.id.in_(_ids(customers_q, Customer)), new_owner)
    active = list(db.session.scalars(select(Customer).where(Customer.id.in_(
        [row.id for row in rows if row.status == CustomerStatus.ACTIVE])).order_by(Customer.id)))
    approvals.decide(HANDOVER_FLOW, active, actor,
                     _("离职交接：%(who)s → %(to)s", who=departed.full_name,
                       to=new_owner.full_name))
    _close_claims(departed, [row.id for row in rows], new_owner)
    moved.others = departures.hand_over(departed, new_owner, actor)  # their own audit events
    audit.record("owner_reassigned", departed, actor=actor, changes={
        "to": new_owner.full_name, "customers": moved.customers, "contracts": moved.contracts,
        "visits": moved.visits, "customer_numbers": [row.number for row in rows]},
        level=max((row.confidentiality for row in rows), default=None))
    notifications.notify(new_owner.id, "reassigned", Link("customers.customer_list"),
                         who=departed.full_name, c=moved.customers, k=moved.contracts,
                         v=moved.visits)
    return moved


def _ids(query: Select, model) -> Select:
    """The ids a scoped select would return, as a subquery for an UPDATE."""
    return query.with_only_columns(model.id).order_by(None)


def _close_claims(departed: User, ids: list[int], new_owner: User) -> None:
    """Pending ownership requests by the departed user, or about the customers just moved,
    lose their premise: they are withdrawn and their (active) requesters told."""
    query = select(OwnershipRequest).where(
        OwnershipRequest.status == RequestStatus.PENDING,
        (OwnershipRequest.requested_by_id == departed.id) | OwnershipRequest.customer_id.in_(ids))
    for claim in db.session.scalars(query):
        request = approvals.pending_request(ownership.OwnershipTransfer.record_type, claim.id)
        if request is not None:
            approvals.withdraw(request, claim.requested_by)
        claim.status = RequestStatus.WITHDRAWN
        if claim.requested_by.active:
            notifications.notify(claim.requested_by_id, "ownership_closed",
                                 Link("sales.ownership_detail", {"request_id": claim.id}),
                                 customer=str(claim.customer), new_owner=new_owner.full_name)


class Handover:
    """离职交接 of one active customer: the manager's own signed decision that its new owner
    is the colleague; it attests the customer's next version (the snapshot's result_hash)."""

    record_type = "CustomerHandover"

    def load(self, record_id: int) -> Customer:
        return db.session.get(Customer, record_id)

    def subject(self, customer: Customer) -> Customer:
        return customer

    def snapshot(self, customer: Customer) -> dict:
        return {"record": "CustomerHandover", "customer_id": customer.id,
                "customer_number": customer.number, "to_owner_id": customer.owner_id,
                "result_hash": content_hash(signed_snapshot(customer))}

    def department_id(self, customer: Customer) -> int:
        return customer.department_id

    def level(self, customer: Customer) -> Level:
        return customer.confidentiality

    def title(self, customer: Customer) -> str:
        return f"{customer.number} {customer.name}：→ {customer.owner.full_name}"

    def link(self, customer: Customer) -> Link:
        return Link("customers.customer_detail", {"customer_id": customer.id})

    def numbers(self, customer: Customer) -> dict:
        return {}

    def submitted(self, customer: Customer, request: ApprovalRequest) -> None:
        pass

    def approved(self, customer: Customer, request: ApprovalRequest) -> None:
        new_version(customer, request)

    def returned(self, customer: Customer, request: ApprovalRequest) -> None:
        pass
