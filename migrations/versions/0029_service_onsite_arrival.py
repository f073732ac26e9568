"""客服部: the on-site commitment's second target (到场时限, 001 L325–334) on service records:
the stored on-site due, the arrival on site entered by the handler, and its breach flag.
Records registered before keep no on-site due until the next SLA recompute run (the policy
page's 重新计算) fills it for the open ones.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 14:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("service_records") as batch:
        batch.add_column(sa.Column("onsite_due", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("arrived_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("onsite_breached", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    # The history's arrival events name a kind the older code does not know.
    op.execute("DELETE FROM service_events WHERE kind = 'arrived'")
    with op.batch_alter_table("service_records") as batch:
        batch.drop_column("onsite_breached")
        batch.drop_column("arrived_at")
        batch.drop_column("onsite_due")
