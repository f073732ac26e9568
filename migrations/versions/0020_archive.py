"""The archive: filed items with their 档号, voided numbers, the retention schedule (seeded with
the defaults of seeds-wave2 part (d4)).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 10:50:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

# record type, 保管期限 code, years (None: permanent), the event the period counts from.
RETENTION_DEFAULTS = (
    ('Customer', 'D3', 3, 'relationship_end'),
    ('Contract', 'D10', 10, 'completion'),
    ('ServiceRecord', 'D4', 4, 'closure'),
    ('Complaint', 'D3', 3, 'closure'),
    ('CreditInvestigation', 'D3', 3, 'superseded'),
    ('CreditRating', 'D3', 3, 'superseded'),
    ('CreditLimit', 'D3', 3, 'superseded'),
    ('AuditTrail', 'Y', None, 'filing'),
    ('DisposalList', 'Y', None, 'filing'),
)


def _choice(name, *values, length=16):
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def upgrade():
    rules = op.create_table('retention_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('years', sa.Integer(), nullable=True),
    sa.Column('trigger', _choice('retentiontrigger', 'signing', 'filing', 'completion', 'closure', 'relationship_end', 'superseded', length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_retention_rules_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_rules')),
    sa.UniqueConstraint('record_type', name=op.f('uq_retention_rules_record_type'))
    )
    op.create_table('archive_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('archive_number', sa.String(length=64), nullable=False),
    sa.Column('series', sa.String(length=60), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('record_version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('business_number', sa.String(length=64), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('confidentiality', sa.SmallInteger(), nullable=False),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('retention_code', sa.String(length=8), nullable=False),
    sa.Column('retention_years', sa.Integer(), nullable=True),
    sa.Column('trigger_date', sa.Date(), nullable=True),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('location', _choice('archivelocation', 'electronic', 'shelf'), nullable=False),
    sa.Column('shelf_mark', sa.String(length=100), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('sm3', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('storage_path', sa.String(length=300), nullable=False),
    sa.Column('pdfa_check', sa.Text(), nullable=False),
    sa.Column('pdfa_passed', sa.Boolean(), nullable=False),
    sa.Column('pdfa_checked_at', sa.DateTime(), nullable=False),
    sa.Column('last_checked_at', sa.DateTime(), nullable=True),
    sa.Column('state', _choice('archivestate', 'in_store', 'on_loan', 'held', 'due', 'destroyed'), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_archive_items_customer_id_customers')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_archive_items_department_id_departments')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_archive_items_filed_by_id_users')),
    sa.ForeignKeyConstraint(['received_by_id'], ['users.id'], name=op.f('fk_archive_items_received_by_id_users')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['archive_items.id'], name=op.f('fk_archive_items_supersedes_id_archive_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_items')),
    sa.UniqueConstraint('archive_number', name=op.f('uq_archive_items_archive_number')),
    sa.UniqueConstraint('record_type', 'record_id', 'record_version', name='uq_archive_items_record_version'),
    sa.UniqueConstraint('series', 'sequence', name='uq_archive_items_series_sequence')
    )
    with op.batch_alter_table('archive_items', schema=None) as batch_op:
        batch_op.create_index('ix_archive_items_customer_id', ['customer_id'], unique=False)
        batch_op.create_index('ix_archive_items_department_scope', ['department_id', 'id', 'confidentiality'], unique=False)
        batch_op.create_index('ix_archive_items_expiry', ['expiry_date'], unique=False)
        batch_op.create_index('ix_archive_items_state', ['state', 'id'], unique=False)

    op.create_table('archive_number_voids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('archive_number', sa.String(length=64), nullable=False),
    sa.Column('series', sa.String(length=60), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('voided_by_id', sa.Integer(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['archive_items.id'], name=op.f('fk_archive_number_voids_item_id_archive_items')),
    sa.ForeignKeyConstraint(['voided_by_id'], ['users.id'], name=op.f('fk_archive_number_voids_voided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_number_voids')),
    sa.UniqueConstraint('archive_number', name=op.f('uq_archive_number_voids_archive_number'))
    )
    with op.batch_alter_table('archive_number_voids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_number_voids_series'), ['series'], unique=False)

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(rules, [
        {'record_type': kind, 'code': code, 'years': years, 'trigger': trigger, 'updated_at': now}
        for kind, code, years, trigger in RETENTION_DEFAULTS])


def downgrade():
    with op.batch_alter_table('archive_number_voids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_number_voids_series'))
    op.drop_table('archive_number_voids')
    with op.batch_alter_table('archive_items', schema=None) as batch_op:
        batch_op.drop_index('ix_archive_items_state')
        batch_op.drop_index('ix_archive_items_expiry')
        batch_op.drop_index('ix_archive_items_department_scope')
        batch_op.drop_index('ix_archive_items_customer_id')
    op.drop_table('archive_items')
    op.drop_table('retention_rules')
