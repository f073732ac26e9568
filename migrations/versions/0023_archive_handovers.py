"""Handover lists (归档移交单), their lines and the filing runs that file accepted lines.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 13:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def _choice(name, *values, length=16):
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def upgrade():
    op.create_table('archive_handovers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('source', _choice('handoversource', 'department', 'monthly'), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_archive_handovers_department_id_departments')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_archive_handovers_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_handovers')),
    sa.UniqueConstraint('department_id', 'source', 'period_start', name='uq_archive_handovers_period'),
    sa.UniqueConstraint('number', name=op.f('uq_archive_handovers_number'))
    )
    with op.batch_alter_table('archive_handovers', schema=None) as batch_op:
        batch_op.create_index('ix_archive_handovers_department', ['department_id', 'id'], unique=False)

    op.create_table('archive_filing_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handover_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('receiver_id', sa.Integer(), nullable=True),
    sa.Column('status', _choice('filingrunstatus', 'queued', 'running', 'done', 'failed'), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_archive_filing_runs_department_id_departments')),
    sa.ForeignKeyConstraint(['handover_id'], ['archive_handovers.id'], name=op.f('fk_archive_filing_runs_handover_id_archive_handovers')),
    sa.ForeignKeyConstraint(['receiver_id'], ['users.id'], name=op.f('fk_archive_filing_runs_receiver_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_archive_filing_runs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_filing_runs'))
    )
    with op.batch_alter_table('archive_filing_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_filing_runs_handover_id'), ['handover_id'], unique=False)

    op.create_table('archive_handover_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handover_id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('record_version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('business_number', sa.String(length=64), nullable=False),
    sa.Column('confidentiality', sa.SmallInteger(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('status', _choice('handoverlinestatus', 'pending', 'accepted', 'filed', 'already_filed', 'rejected', 'refused', 'check_failed', length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_archive_handover_lines_decided_by_id_users')),
    sa.ForeignKeyConstraint(['handover_id'], ['archive_handovers.id'], name=op.f('fk_archive_handover_lines_handover_id_archive_handovers')),
    sa.ForeignKeyConstraint(['item_id'], ['archive_items.id'], name=op.f('fk_archive_handover_lines_item_id_archive_items')),
    sa.ForeignKeyConstraint(['run_id'], ['archive_filing_runs.id'], name=op.f('fk_archive_handover_lines_run_id_archive_filing_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_handover_lines')),
    sa.UniqueConstraint('handover_id', 'record_type', 'record_id', 'record_version', name='uq_archive_handover_lines_record')
    )
    with op.batch_alter_table('archive_handover_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_handover_lines_handover_id'), ['handover_id'], unique=False)
        batch_op.create_index('ix_archive_handover_lines_record', ['record_type', 'record_id', 'record_version'], unique=False)
        batch_op.create_index('ix_archive_handover_lines_run', ['run_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('archive_handover_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_archive_handover_lines_run')
        batch_op.drop_index('ix_archive_handover_lines_record')
        batch_op.drop_index(batch_op.f('ix_archive_handover_lines_handover_id'))
    op.drop_table('archive_handover_lines')
    with op.batch_alter_table('archive_filing_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_filing_runs_handover_id'))
    op.drop_table('archive_filing_runs')
    with op.batch_alter_table('archive_handovers', schema=None) as batch_op:
        batch_op.drop_index('ix_archive_handovers_department')
    op.drop_table('archive_handovers')
