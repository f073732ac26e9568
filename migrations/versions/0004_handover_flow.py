"""离职交接 flow: the sales manager's own decision that hands a departed owner's active
customers to a colleague is signed like any approval, so their signed versions stay valid

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

KIND = "customer.handover"


def upgrade():
    flows = sa.table("approval_flows", sa.column("id"), sa.column("kind"), sa.column("name"),
                     sa.column("created_at"), sa.column("updated_at"))
    op.execute(flows.insert().values(kind=KIND, name="离职交接", created_at=sa.func.now(),
                                     updated_at=sa.func.now()))
    flow_id = op.get_bind().scalar(sa.select(flows.c.id).where(flows.c.kind == KIND))
    steps = sa.table("approval_steps", *(sa.column(c) for c in (
        "flow_id", "position", "name", "rule", "mode", "meaning", "condition_field", "threshold")))
    op.bulk_insert(steps, [dict(flow_id=flow_id, position=1, name="销售经理批准",
                                rule="record_dept_manager", mode="any", meaning="approval",
                                condition_field=None, threshold=None)])


def downgrade():
    kind = {"kind": KIND}
    op.execute(sa.text("DELETE FROM approval_steps WHERE flow_id IN "
                       "(SELECT id FROM approval_flows WHERE kind = :kind)").bindparams(**kind))
    op.execute(sa.text("DELETE FROM approval_flows WHERE kind = :kind").bindparams(**kind))
