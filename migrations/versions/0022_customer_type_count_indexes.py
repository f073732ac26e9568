"""The home page's customer counts per type, capped at COUNT_CAP + 1 rows each: an index per
scope (salesperson, department, all) in type order, so that each capped count reads at most
COUNT_CAP + 1 index entries whatever the number of customers (before: a scan of the scope for
the rarest type, 4–15 ms at 200,000 customers).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 11:30:00

"""
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

INDEXES = {
    "ix_customers_owner_type": ["owner_id", "type", "confidentiality"],
    "ix_customers_department_type": ["department_id", "type", "confidentiality"],
    "ix_customers_type": ["type", "confidentiality"],
}


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, "customers", columns)


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name="customers")
