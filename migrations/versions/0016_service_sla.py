"""SLA policies per service type and priority, on-site profiles linked to contracts, and the
recompute job's runs; seeds the a8 defaults (response 2 working hours; resolution 1 / 3 / 5
working days by priority when the customer gives no expected time) and the on-site profile
30 min / 2 h / 4 h on the 7×24 calendar (001 L325–334).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 10:00:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

SERVICE_TYPES = ('presales', 'insales', 'aftersales', 'value_added')
# 1, 3 and 5 working days of the default 7.5-hour day (08:30–12:00, 13:30–17:30).
RESOLUTION = {'high': 450, 'medium': 1350, 'low': 2250}


def _enum(name, *values, length=16):
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def upgrade():
    policies = op.create_table('sla_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', _enum('slakind', 'standard', 'on_site'), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('service_type', _enum('servicetype', *SERVICE_TYPES), nullable=True),
    sa.Column('priority', _enum('priority', 'high', 'medium', 'low'), nullable=True),
    sa.Column('calendar', _enum('slacalendar', 'work', '24x7', length=10), nullable=False),
    sa.Column('response_minutes', sa.Integer(), nullable=False),
    sa.Column('on_site_minutes', sa.Integer(), nullable=True),
    sa.Column('resolution_minutes', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_sla_policies_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_policies')),
    sa.UniqueConstraint('kind', 'service_type', 'priority', name='uq_sla_policies_key')
    )
    op.create_table('contract_sla_profiles',
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('attached_by_id', sa.Integer(), nullable=False),
    sa.Column('attached_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attached_by_id'], ['users.id'], name=op.f('fk_contract_sla_profiles_attached_by_id_users')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_sla_profiles_contract_id_contracts')),
    sa.ForeignKeyConstraint(['policy_id'], ['sla_policies.id'], name=op.f('fk_contract_sla_profiles_policy_id_sla_policies')),
    sa.PrimaryKeyConstraint('contract_id', name=op.f('pk_contract_sla_profiles'))
    )
    with op.batch_alter_table('contract_sla_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_sla_profiles_policy_id'), ['policy_id'], unique=False)

    op.create_table('sla_recompute_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('status', _enum('recomputestatus', 'queued', 'running', 'done', 'failed'), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('last_record_id', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_sla_recompute_runs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_recompute_runs'))
    )
    _seed(policies)


def _seed(policies):
    """The a8 defaults: a standard row per (type, priority) and the on-site profile."""
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [dict(kind='standard', name='标准时限', service_type=kind, priority=priority,
                 calendar='work', response_minutes=120, on_site_minutes=None,
                 resolution_minutes=minutes, version=1, created_at=now, updated_at=now)
            for kind in SERVICE_TYPES for priority, minutes in RESOLUTION.items()]
    rows.append(dict(kind='on_site', name='上门服务承诺（7×24）', service_type=None,
                     priority=None, calendar='24x7', response_minutes=30, on_site_minutes=120,
                     resolution_minutes=240, version=1, created_at=now, updated_at=now))
    op.bulk_insert(policies, rows)


def downgrade():
    op.drop_table('sla_recompute_runs')
    with op.batch_alter_table('contract_sla_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_sla_profiles_policy_id'))
    op.drop_table('contract_sla_profiles')
    op.drop_table('sla_policies')
