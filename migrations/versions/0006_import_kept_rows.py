"""Imports keep the dry run's rows: import_batches.kept_rows holds the rows the dry run read
(deflated JSON lines, services/imports/kept.py), so that the job writes them without reading
the workbook again. Batches checked before this revision have none and are read from their file.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 04:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("import_batches") as batch:
        batch.add_column(sa.Column("kept_rows", sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table("import_batches") as batch:
        batch.drop_column("kept_rows")
