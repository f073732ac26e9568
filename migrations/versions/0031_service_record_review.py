"""客服部: the flow "service.record_review" (审核 of a closed, customer-confirmed 客户服务记录表 by
the 客服 manager of the record's department), whose signed versions the archive files. The
retention rule of ServiceRecord (D4 from closure) was seeded by 0020 already.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06 15:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

KIND = "service.record_review"


def upgrade():
    flows = sa.table("approval_flows", sa.column("id"), sa.column("kind"), sa.column("name"),
                     sa.column("created_at"), sa.column("updated_at"))
    op.execute(flows.insert().values(kind=KIND, name="客户服务记录审核", created_at=sa.func.now(),
                                     updated_at=sa.func.now()))
    flow_id = op.get_bind().scalar(sa.select(flows.c.id).where(flows.c.kind == KIND))
    steps = sa.table("approval_steps", *(sa.column(c) for c in (
        "flow_id", "position", "name", "rule", "mode", "meaning", "condition_field", "threshold")))
    op.bulk_insert(steps, [
        dict(flow_id=flow_id, position=1, name="客服部经理审核", rule="record_dept_manager",
             mode="any", meaning="review", condition_field=None, threshold=None),
    ])


def downgrade():
    kind = {"kind": KIND}
    op.execute(sa.text("DELETE FROM approval_steps WHERE flow_id IN "
                       "(SELECT id FROM approval_flows WHERE kind = :kind)").bindparams(**kind))
    op.execute(sa.text("DELETE FROM approval_flows WHERE kind = :kind").bindparams(**kind))
