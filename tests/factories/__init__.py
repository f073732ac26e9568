"""Factories: real rows through the real services, returned detached for reading in tests."""

import itertools
from datetime import date

from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import (
    Customer,
    CustomerKind,
    CustomerType,
    Department,
    DeptCode,
    Grade,
    Industry,
    Level,
    Role,
    Source,
    User,
)
from app.services.customers import operations as customers
from tests.support import PASSWORD

_hashes: dict[str, str] = {}
_serial = itertools.count(1)


def _password_hash(app) -> str:
    method = app.config["PASSWORD_HASH_METHOD"]
    if method not in _hashes:
        _hashes[method] = generate_password_hash(PASSWORD, method=method)
    return _hashes[method]


def _detached(obj):
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


def make_user(app, username: str, role: Role = Role.STAFF, dept: DeptCode = DeptCode.SALES,
              clearance: Level = Level.INTERNAL, **fields) -> User:
    with app.app_context():
        department = db.session.query(Department).filter_by(code=dept).one()
        user = User(username=username, full_name=fields.pop("full_name", username),
                    employee_no=fields.pop("employee_no", f"E{next(_serial):05d}"),
                    password_hash=_password_hash(app), department=department, role=role,
                    clearance=clearance, **fields)
        db.session.add(user)
        db.session.commit()
        return _detached(user)


def customer_data(owner_id: int, **overrides) -> customers.CustomerData:
    n = next(_serial)
    values = dict(
        name=f"测试客户{n}有限公司", kind=CustomerKind.UNIT, contact_name="王经理",
        phone=f"139{n:08d}", email=None, address="北京市朝阳区建国路1号",
        industry=Industry.TECH, type=CustomerType.POTENTIAL, grade=Grade.B,
        source=Source.EXPO, first_contact_date=date(2026, 1, 15),
        confidentiality=Level.INTERNAL, id_number=None, remarks=None, owner_id=owner_id)
    values.update(overrides)
    return customers.CustomerData(**values)


def make_customer(app, owner: User, **overrides) -> Customer:
    with app.app_context():
        actor = db.session.get(User, owner.id)
        customer = customers.create_customer(customer_data(owner.id, **overrides), actor)
        db.session.commit()
        return _detached(customer)
