"""客服部: the duty roster (值班情况登记表) and fault analysis reports (故障分析报告).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_duty_shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('duty_date', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('handover_at', sa.DateTime(), nullable=True),
    sa.Column('work_content', sa.Text(), nullable=True),
    sa.Column('hours', sa.BigInteger(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_service_duty_shifts_created_by_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_service_duty_shifts_department_id_departments')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_service_duty_shifts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_duty_shifts')),
    sa.UniqueConstraint('duty_date', 'user_id', name='uq_service_duty_shifts_day_user')
    )
    with op.batch_alter_table('service_duty_shifts', schema=None) as batch_op:
        batch_op.create_index('ix_service_duty_shifts_department', ['department_id', 'duty_date', 'id'], unique=False)
        batch_op.create_index('ix_service_duty_shifts_user', ['user_id', 'duty_date', 'id'], unique=False)

    op.create_table('service_fault_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('service_record_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('confidentiality', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.Enum('open', 'completed', name='faultstatus', native_enum=False, length=16), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('symptoms', sa.Text(), nullable=False),
    sa.Column('plan', sa.Text(), nullable=False),
    sa.Column('impact', sa.Text(), nullable=True),
    sa.Column('handling', sa.Text(), nullable=True),
    sa.Column('cause', sa.Text(), nullable=True),
    sa.Column('actions', sa.Text(), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=False),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['completed_by_id'], ['users.id'], name=op.f('fk_service_fault_reports_completed_by_id_users')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_service_fault_reports_customer_id_customers')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_service_fault_reports_department_id_departments')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_service_fault_reports_reported_by_id_users')),
    sa.ForeignKeyConstraint(['service_record_id'], ['service_records.id'], name=op.f('fk_service_fault_reports_service_record_id_service_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_fault_reports')),
    sa.UniqueConstraint('number', name=op.f('uq_service_fault_reports_number'))
    )
    with op.batch_alter_table('service_fault_reports', schema=None) as batch_op:
        batch_op.create_index('ix_service_fault_reports_customer', ['customer_id', 'id'], unique=False)
        batch_op.create_index('ix_service_fault_reports_scope', ['department_id', 'status', 'id', 'confidentiality'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_fault_reports_service_record_id'), ['service_record_id'], unique=False)


def downgrade():
    with op.batch_alter_table('service_fault_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_fault_reports_service_record_id'))
        batch_op.drop_index('ix_service_fault_reports_scope')
        batch_op.drop_index('ix_service_fault_reports_customer')

    op.drop_table('service_fault_reports')
    with op.batch_alter_table('service_duty_shifts', schema=None) as batch_op:
        batch_op.drop_index('ix_service_duty_shifts_user')
        batch_op.drop_index('ix_service_duty_shifts_department')

    op.drop_table('service_duty_shifts')
