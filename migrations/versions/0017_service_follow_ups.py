"""Follow-ups on service records and their cadence rules, seeded with the defaults
(A 7, B 14, C 30 days; priority 高 7, 004 L38).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 10:00:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

BASES = ('A', 'B', 'C', 'high')
DEFAULTS = {'A': 7, 'B': 14, 'C': 30, 'high': 7}


def upgrade():
    cadences = op.create_table('service_follow_up_cadences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('basis', sa.Enum(*BASES, name='cadencebasis', native_enum=False, length=16), nullable=False),
    sa.Column('interval_days', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_service_follow_up_cadences_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_follow_up_cadences')),
    sa.UniqueConstraint('basis', name=op.f('uq_service_follow_up_cadences_basis'))
    )
    op.create_table('service_follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('communicated_at', sa.DateTime(), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Text(), nullable=False),
    sa.Column('progress', sa.Text(), nullable=True),
    sa.Column('next_action', sa.String(length=200), nullable=True),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('result', sa.Enum('unresolved', 'resolved', 'abandoned', name='followupresult', native_enum=False, length=16), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['service_records.id'], name=op.f('fk_service_follow_ups_record_id_service_records')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_service_follow_ups_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_follow_ups'))
    )
    with op.batch_alter_table('service_follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_service_follow_ups_record', ['record_id', 'communicated_at', 'id'], unique=False)
        batch_op.create_index('ix_service_follow_ups_user', ['user_id', 'communicated_at'], unique=False)

    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(cadences, [dict(basis=basis, interval_days=days, created_at=now, updated_at=now)
                              for basis, days in DEFAULTS.items()])


def downgrade():
    with op.batch_alter_table('service_follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_service_follow_ups_user')
        batch_op.drop_index('ix_service_follow_ups_record')

    op.drop_table('service_follow_ups')
    op.drop_table('service_follow_up_cadences')
