"""Demo data: the README's users and about 200 customers, created through the services."""

import random

from sqlalchemy import select

from app.extensions import db
from app.models import Department, DeptCode, Level, Role, User
from app.services import customers, synthetic
from app.services.accounts import hash_password

# username, full name, employee no, role, department, clearance
DEMO_USERS = (
    ("admin", "系统管理员", "IT001", Role.ADMIN, DeptCode.IT, Level.INTERNAL),
    ("gm", "王建国", "M001", Role.GM, DeptCode.MANAGEMENT, Level.CONFIDENTIAL),
    ("sales1", "李明", "S101", Role.STAFF, DeptCode.SALES, Level.INTERNAL),
    ("sales2", "张丽", "S102", Role.STAFF, DeptCode.SALES, Level.INTERNAL),
    ("sales_mgr", "赵强", "S001", Role.MANAGER, DeptCode.SALES, Level.SECRET),
    ("cs1", "陈静", "C101", Role.STAFF, DeptCode.SERVICE, Level.INTERNAL),
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
    """Staff own public and internal customers; the manager also the secret and confidential."""
    roll = rng.random()
    if roll < 0.45:
        owner = users["sales1"]
    elif roll < 0.85:
        owner = users["sales2"]
    else:
        owner = users["sales_mgr"]
        return owner, rng.choices((Level.INTERNAL, Level.SECRET, Level.CONFIDENTIAL),
                                  weights=(40, 45, 15))[0]
    return owner, rng.choices((Level.PUBLIC, Level.INTERNAL), weights=(25, 75))[0]


def create_customers(users: dict[str, User], count: int = 200, seed: int = 2026) -> int:
    rng = random.Random(seed)
    created = 0
    while created < count:
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
        customers.create_customer(data, owner)
        created += 1
    return created


def load(password: str) -> dict[str, int]:
    users = create_users(password)
    return {"users": len(users), "customers": create_customers(users)}
