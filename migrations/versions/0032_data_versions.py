"""Data versions: one row per set of tables whose committed writes move its version on, so
that what is computed from them can be kept until they change: the receivables aging
(contracts, their payment terms and payments) and the sales ledger's totals and salespeople.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 06:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    versions = op.create_table(
        "data_versions",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False, server_default="0"))
    op.bulk_insert(versions, [{"name": "receivables", "version": 0},
                              {"name": "sales_ledger", "version": 0}])


def downgrade():
    op.drop_table("data_versions")
