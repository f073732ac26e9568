"""Demo data: the README's users, about 200 customers, their sales records and a year of
customer service, created through the services."""

import random

from sqlalchemy import select

from app.extensions import db
from app.models import Customer, Decision, Department, DeptCode, Level, Role, User
from app.services.approvals import engine as approvals
from app.services.core.accounts import hash_password
from app.services.customers import operations as customers
from app.services.customers.review import REVIEW_FLOW, propose_change
from app.services.demo import archive as demo_archive
from app.services.demo import sales as demo_sales
from app.services.demo import service as demo_service
from app.services.demo import synthetic
from app.timeutil import local_today

# username, full name, employee no, role, department, clearance
DEMO_USERS = (
    ("admin", "系统管理员", "IT001", Role.ADMIN, DeptCode.IT, Level.INTERNAL),
    ("gm", "王建国", "M001", Role.GM, DeptCode.MANAGEMENT, Level.CONFIDENTIAL),
    ("sales1", "李明", "S101", Role.STAFF, DeptCode.SALES, Level.INTERNAL),
    ("sales2", "张丽", "S102", Role.STAFF, DeptCode.SALES, Level.INTERNAL),
    ("sales_mgr", "赵强", "S001", Role.MANAGER, DeptCode.SALES, Level.SECRET),
    ("cs1", "陈静", "C101", Role.STAFF, DeptCode.SERVICE, Level.INTERNAL),
    ("cs2", "黄磊", "C102", Role.STAFF, DeptCode.SERVICE, Level.INTERNAL),
    ("cs_mgr", "刘洋", "C001", Role.MANAGER, DeptCode.SERVICE, Level.SECRET),
    ("risk1", "周杰", "R101", Role.STAFF, DeptCode.RISK, Level.INTERNAL),
    ("risk_mgr", "吴敏", "R001", Role.MANAGER, DeptCode.RISK, Level.SECRET),
    ("archivist", "孙芳", "A001", Role.ARCHIVIST, DeptCode.ARCHIVE, Level.SECRET),
    ("auditor", "郑涛", "AU001", Role.AUDITOR, DeptCode.MANAGEMENT, Level.INTERNAL),
)


def create_users(password: str) -> dict[str, User]:
    departments = {d.code: d for d in db.session.scalars(select(Department))}
    users = {}
    for username, full_name, employee_no, role, dept, clearance in DEMO_USERS:
        user = User(username=username, full_name=full_name, employee_no=employee_no,
                    password_hash=hash_password(password), department=departments[dept],
                    role=role, clearance=clearance)
        db.session.add(user)
        users[username] = user
    db.session.flush()
    return users


def _owner_and_level(rng: random.Random, users: dict[str, User]) -> tuple[User, Level]:
    """Staff own public and internal customers, the manager also secret ones. (Nobody in sales
    is cleared for 机密, and an owner must be cleared for their customers.)"""
    roll = rng.random()
    if roll < 0.45:
        owner = users["sales1"]
    elif roll < 0.85:
        owner = users["sales2"]
    else:
        owner = users["sales_mgr"]
        return owner, rng.choices((Level.INTERNAL, Level.SECRET), weights=(40, 60))[0]
    return owner, rng.choices((Level.PUBLIC, Level.INTERNAL), weights=(25, 75))[0]


def create_customers(users: dict[str, User], count: int = 200,
                     seed: int = 2026) -> list[Customer]:
    rng = random.Random(seed)
    created: list[Customer] = []
    while len(created) < count:
        fake = synthetic.fake_customer(rng)
        if customers.find_by_name(fake.name):
            continue
        owner, level = _owner_and_level(rng, users)
        data = customers.CustomerData(
            name=fake.name, kind=fake.kind, contact_name=fake.contact_name, phone=fake.phone,
            email=fake.email, address=fake.address, industry=fake.industry,
            type=synthetic.pick_type(rng), grade=synthetic.pick_grade(rng),
            source=synthetic.pick_source(rng), first_contact_date=synthetic.past_date(rng),
            confidentiality=level, id_number=fake.id_number,
            remarks=rng.choice(synthetic.REMARKS), owner_id=owner.id)
        created.append(customers.create_customer(data, owner))
    return created


def review_customers(made: list[Customer], users: dict[str, User], password: str) -> None:
    """Puts the demo customers through the archive review so every state has examples:
    most approved, some waiting in the managers' inboxes, some drafts, one sent back, and a
    few with a pending or an approved change (变更)."""
    for i, customer in enumerate(made):
        if i % 10 == 9:
            continue  # 草稿
        request = approvals.submit(REVIEW_FLOW, customer, customer.owner)
        if i % 10 == 8:
            continue  # 审批中
        approver = _approver(request, users)
        if i == 7:
            approvals.sign(request, approver, Decision.REJECT, "请补充联系人职务后重新提交",
                           password)
            continue
        approvals.sign(request, approver, Decision.APPROVE, "同意", password)
        if i in (17, 27):
            propose_change(customer, {"name": customer.name + "（更名）"}, "客户完成工商变更",
                           customer.owner)
        if i == 37:
            change = propose_change(customer, {"name": customer.name + "集团"},
                                    "客户升级为集团公司", customer.owner)
            request = approvals.pending_request("ChangeRequest", change.id)
            approvals.sign(request, _approver(request, users), Decision.APPROVE, "同意", password)


def _approver(request, users: dict[str, User]) -> User:
    return users["gm"] if request.submitted_by_id == users["sales_mgr"].id else users["sales_mgr"]


def load(password: str) -> dict[str, int]:
    users = create_users(password)
    made = create_customers(users)
    review_customers(made, users, password)
    sales = demo_sales.load(users, made, password, local_today())
    service = demo_service.load(users, made, local_today())
    archive = demo_archive.load(users)
    return {"users": len(users), "customers": len(made), **sales, **service, **archive}
