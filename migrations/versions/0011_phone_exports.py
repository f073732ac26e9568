"""full-phone exports (外呼名单): the request table and its approval flow (the requester's
department manager approves an export of more than 50 rows)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 08:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

KIND = "pii.phone_export"


def upgrade():
    op.create_table(
        'phone_exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('list_name', sa.String(length=40), nullable=False),
        sa.Column('query', sa.String(length=500), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('row_count', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'approved', 'rejected', 'withdrawn',
                                    name='requeststatus', native_enum=False, length=16,
                                    create_constraint=False), nullable=False),
        sa.Column('confidentiality', sa.SmallInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_phone_exports_requested_by_id_users')),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                                name=op.f('fk_phone_exports_department_id_departments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_phone_exports')))
    with op.batch_alter_table('phone_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phone_exports_requested_by_id'),
                              ['requested_by_id'], unique=False)
    flows = sa.table("approval_flows", sa.column("id"), sa.column("kind"), sa.column("name"),
                     sa.column("created_at"), sa.column("updated_at"))
    op.execute(flows.insert().values(kind=KIND, name="完整电话导出", created_at=sa.func.now(),
                                     updated_at=sa.func.now()))
    flow_id = op.get_bind().scalar(sa.select(flows.c.id).where(flows.c.kind == KIND))
    steps = sa.table("approval_steps", *(sa.column(c) for c in (
        "flow_id", "position", "name", "rule", "mode", "meaning", "condition_field", "threshold")))
    op.bulk_insert(steps, [dict(flow_id=flow_id, position=1, name="部门经理批准",
                                rule="record_dept_manager", mode="any", meaning="approval",
                                condition_field=None, threshold=None)])


def downgrade():
    kind = {"kind": KIND}
    op.execute(sa.text("DELETE FROM approval_steps WHERE flow_id IN "
                       "(SELECT id FROM approval_flows WHERE kind = :kind)").bindparams(**kind))
    op.execute(sa.text("DELETE FROM approval_flows WHERE kind = :kind").bindparams(**kind))
    with op.batch_alter_table('phone_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phone_exports_requested_by_id'))
    op.drop_table('phone_exports')
