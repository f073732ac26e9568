"""The personas and records every policy test uses (demo roles, one record per level)."""

from dataclasses import dataclass

from app.models import DeptCode, Level, Role
from tests.factories import make_customer, make_user

# persona: (role, department, clearance)
PERSONAS = {
    "sales1": (Role.STAFF, DeptCode.SALES, Level.INTERNAL),
    "sales2": (Role.STAFF, DeptCode.SALES, Level.INTERNAL),
    "sales_top": (Role.STAFF, DeptCode.SALES, Level.CONFIDENTIAL),
    "sales_mgr": (Role.MANAGER, DeptCode.SALES, Level.SECRET),
    "cs1": (Role.STAFF, DeptCode.SERVICE, Level.INTERNAL),
    "cs_mgr": (Role.MANAGER, DeptCode.SERVICE, Level.SECRET),
    "risk1": (Role.STAFF, DeptCode.RISK, Level.INTERNAL),
    "gm": (Role.GM, DeptCode.MANAGEMENT, Level.CONFIDENTIAL),
    "archivist": (Role.ARCHIVIST, DeptCode.ARCHIVE, Level.SECRET),
    "admin": (Role.ADMIN, DeptCode.IT, Level.CONFIDENTIAL),
    "auditor": (Role.AUDITOR, DeptCode.MANAGEMENT, Level.CONFIDENTIAL),
}

# record: (owner, level). Owners need the clearance of their records.
RECORDS = {
    "P": ("sales1", Level.PUBLIC),
    "I": ("sales1", Level.INTERNAL),
    "S": ("sales_top", Level.SECRET),
    "C": ("sales_top", Level.CONFIDENTIAL),
}


@dataclass
class World:
    users: dict
    customers: dict


def build_world(app) -> World:
    users = {name: make_user(app, name, role=role, dept=dept, clearance=level)
             for name, (role, dept, level) in PERSONAS.items()}
    customers = {
        key: make_customer(app, users[owner], confidentiality=level,
                           name=f"矩阵{key}级客户有限公司", phone=f"1380000{i:04d}")
        for i, (key, (owner, level)) in enumerate(RECORDS.items())
    }
    return World(users, customers)
