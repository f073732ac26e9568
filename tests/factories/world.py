"""The personas and records every policy test uses (demo roles, one record per level)."""

from dataclasses import dataclass

from app.models import Level
from tests.factories import snapshots
from tests.factories.customers import make_customer
from tests.factories.people import make_people

# The policy matrices' personas, as tests.factories.people.PEOPLE has them.
PERSONAS = ("sales1", "sales2", "sales_top", "sales_mgr", "cs1", "cs_mgr", "risk1", "gm",
            "archivist", "admin", "auditor")

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


@snapshots.reused
def build_world(app) -> World:
    users = make_people(app, *PERSONAS)
    customers = {
        key: make_customer(app, users[owner], confidentiality=level,
                           name=f"矩阵{key}级客户有限公司", phone=f"1380000{i:04d}")
        for i, (key, (owner, level)) in enumerate(RECORDS.items())
    }
    return World(users, customers)
