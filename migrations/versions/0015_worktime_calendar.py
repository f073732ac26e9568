"""The working-time calendar: working intervals, dated exceptions to the statutory calendar,
and the version row every edit bumps.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 10:00:00

"""
from datetime import time

from alembic import op
import sqlalchemy as sa

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    intervals = op.create_table('work_intervals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_intervals'))
    )
    op.create_table('workday_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_workday_exceptions_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workday_exceptions')),
    sa.UniqueConstraint('day', name=op.f('uq_workday_exceptions_day'))
    )
    state = op.create_table('work_calendar_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_work_calendar_state_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_calendar_state'))
    )
    # The default working day (08:30–12:00, 13:30–17:30) and the version row.
    op.bulk_insert(intervals, [{'starts': time(8, 30), 'ends': time(12, 0)},
                               {'starts': time(13, 30), 'ends': time(17, 30)}])
    op.bulk_insert(state, [{'id': 1, 'version': 0}])


def downgrade():
    op.drop_table('work_calendar_state')
    op.drop_table('workday_exceptions')
    op.drop_table('work_intervals')
