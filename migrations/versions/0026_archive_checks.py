"""The four-property check (四性检测): versioned schemes with their rows, runs and the results of
the items that did not pass; the default scheme seeded as version 1 (only the metadata check
only warns), so that reading the scheme never writes.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 13:00:00

"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


# The checks of version 1 (services/archive/checks/scheme.CHECKS as they were): code,
# dimension, blocking.
DEFAULT_SCHEME = (
    ("sha256", "authenticity", True), ("sm3", "authenticity", True),
    ("seal", "authenticity", True), ("signatures", "authenticity", True),
    ("metadata", "integrity", False), ("number_continuity", "integrity", True),
    ("content_present", "integrity", True), ("size", "integrity", True),
    ("pdfa", "usability", True), ("opens", "usability", True),
    ("not_encrypted", "usability", True),
    ("unaltered", "security", True), ("audit_chain", "security", True),
)


def _choice(name, *values, length=16):
    return sa.Enum(*values, name=name, native_enum=False, length=length)


OUTCOMES = ('passed', 'warning', 'failed')


def upgrade():
    op.create_table('archive_check_schemes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_archive_check_schemes_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_check_schemes')),
    sa.UniqueConstraint('version', name=op.f('uq_archive_check_schemes_version'))
    )
    op.create_table('archive_check_scheme_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('dimension', _choice('checkdimension', 'authenticity', 'integrity', 'usability', 'security'), nullable=False),
    sa.Column('blocking', sa.Boolean(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['archive_check_schemes.id'], name=op.f('fk_archive_check_scheme_rows_scheme_id_archive_check_schemes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_check_scheme_rows')),
    sa.UniqueConstraint('scheme_id', 'code', name='uq_archive_check_scheme_rows_code')
    )
    op.create_table('archive_check_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('trigger', _choice('checktrigger', 'page', 'command'), nullable=False),
    sa.Column('scope', _choice('checkscope', 'all', 'department', 'kind', 'period', 'selection'), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('record_type', sa.String(length=40), nullable=True),
    sa.Column('filed_from', sa.Date(), nullable=True),
    sa.Column('filed_to', sa.Date(), nullable=True),
    sa.Column('selection', sa.Text(), nullable=True),
    sa.Column('max_level', sa.SmallInteger(), nullable=False),
    sa.Column('status', _choice('checkrunstatus', 'queued', 'running', 'done', 'failed'), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Integer(), nullable=False),
    sa.Column('warned', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('last_item_id', sa.Integer(), nullable=False),
    sa.Column('tallies', sa.Text(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('conclusion', _choice('checkoutcome', *OUTCOMES), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('signed_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_archive_check_runs_department_id_departments')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_archive_check_runs_requested_by_id_users')),
    sa.ForeignKeyConstraint(['scheme_id'], ['archive_check_schemes.id'], name=op.f('fk_archive_check_runs_scheme_id_archive_check_schemes')),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_archive_check_runs_signed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_check_runs'))
    )
    op.create_table('archive_check_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('outcome', _choice('checkoutcome', *OUTCOMES), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['archive_items.id'], name=op.f('fk_archive_check_results_item_id_archive_items')),
    sa.ForeignKeyConstraint(['run_id'], ['archive_check_runs.id'], name=op.f('fk_archive_check_results_run_id_archive_check_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_check_results')),
    sa.UniqueConstraint('run_id', 'item_id', name='uq_archive_check_results_run_item')
    )
    _seed_default_scheme()


def _seed_default_scheme():
    schemes = sa.table('archive_check_schemes', sa.column('id', sa.Integer),
                       sa.column('version', sa.Integer), sa.column('note', sa.String),
                       sa.column('created_at', sa.DateTime))
    rows = sa.table('archive_check_scheme_rows', sa.column('scheme_id', sa.Integer),
                    sa.column('position', sa.Integer), sa.column('code', sa.String),
                    sa.column('dimension', sa.String), sa.column('blocking', sa.Boolean),
                    sa.column('enabled', sa.Boolean))
    op.bulk_insert(schemes, [{"id": 1, "version": 1, "note": "默认方案",
                              "created_at": datetime(2026, 12, 6)}])
    op.bulk_insert(rows, [{"scheme_id": 1, "position": position, "code": code,
                           "dimension": dimension, "blocking": blocking, "enabled": True}
                          for position, (code, dimension, blocking)
                          in enumerate(DEFAULT_SCHEME, 1)])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('archive_check_schemes', 'id'), 1)")


def downgrade():
    op.drop_table('archive_check_results')
    op.drop_table('archive_check_runs')
    op.drop_table('archive_check_scheme_rows')
    op.drop_table('archive_check_schemes')
