"""The retention schedule's administration: the history of rule changes, the runs that recompute
filed items' expiry dates, an index to walk one record type's items in id order, and the
schedule's missing defaults (seeds-wave2 d4: contract changes as contracts, return visits and
fault reports as service records).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 13:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

TRIGGERS = ('signing', 'filing', 'completion', 'closure', 'relationship_end', 'superseded')
# record type, 保管期限 code, years, the event the period counts from (added where missing).
MORE_DEFAULTS = (
    ('ContractChange', 'D10', 10, 'completion'),
    ('ReturnVisit', 'D3', 3, 'closure'),
    ('FaultReport', 'D3', 3, 'closure'),
)


def _choice(name, *values, length=16):
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def upgrade():
    op.create_table('retention_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('status', _choice('retentionrunstatus', 'queued', 'running', 'done', 'failed'), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('last_item_id', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_retention_runs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_runs'))
    )
    op.create_table('retention_rule_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('old_code', sa.String(length=8), nullable=True),
    sa.Column('old_years', sa.Integer(), nullable=True),
    sa.Column('old_trigger', _choice('retentiontrigger', *TRIGGERS, length=20), nullable=True),
    sa.Column('new_code', sa.String(length=8), nullable=False),
    sa.Column('new_years', sa.Integer(), nullable=True),
    sa.Column('new_trigger', _choice('retentiontrigger', *TRIGGERS, length=20), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_retention_rule_changes_changed_by_id_users')),
    sa.ForeignKeyConstraint(['rule_id'], ['retention_rules.id'], name=op.f('fk_retention_rule_changes_rule_id_retention_rules')),
    sa.ForeignKeyConstraint(['run_id'], ['retention_runs.id'], name=op.f('fk_retention_rule_changes_run_id_retention_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_rule_changes'))
    )
    with op.batch_alter_table('retention_rule_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_rule_changes_rule_id'), ['rule_id'], unique=False)
    with op.batch_alter_table('archive_items', schema=None) as batch_op:
        batch_op.create_index('ix_archive_items_record_type_id', ['record_type', 'id'], unique=False)
    _add_missing_defaults()


def _add_missing_defaults():
    """The defaults the schedule lacks (a type an administrator added already is kept)."""
    rules = sa.table('retention_rules', sa.column('record_type', sa.String),
                     sa.column('code', sa.String), sa.column('years', sa.Integer),
                     sa.column('trigger', sa.String), sa.column('updated_at', sa.DateTime))
    present = {row[0] for row in op.get_bind().execute(sa.select(rules.c.record_type))}
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(rules, [
        {'record_type': kind, 'code': code, 'years': years, 'trigger': trigger, 'updated_at': now}
        for kind, code, years, trigger in MORE_DEFAULTS if kind not in present])


def downgrade():
    with op.batch_alter_table('archive_items', schema=None) as batch_op:
        batch_op.drop_index('ix_archive_items_record_type_id')
    with op.batch_alter_table('retention_rule_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retention_rule_changes_rule_id'))
    op.drop_table('retention_rule_changes')
    op.drop_table('retention_runs')
    rules = sa.table('retention_rules', sa.column('record_type', sa.String))
    op.execute(rules.delete().where(rules.c.record_type.in_([kind for kind, *_ in MORE_DEFAULTS])))
