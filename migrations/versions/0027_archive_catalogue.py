"""The archive catalogue: the search index of filed items' titles (backfilled for the items
already filed), the index of the catalogue's business-number search, and the archivist's batch
print jobs.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 13:00:00

"""
from alembic import op
import sqlalchemy as sa

from app.models.search_index import create_search_index, drop_search_index
from app.services.core.search import index_tokens

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

BATCH = 2000


def _choice(name, *values, length=16):
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _backfill():
    """The items filed before this migration, indexed as filing indexes new ones; the tokens
    go in as text, which create_search_index turns into its index (tsvector, FTS5)."""
    items = sa.table('archive_items', sa.column('id', sa.Integer), sa.column('title', sa.String))
    search = sa.table('archive_item_search', sa.column('id', sa.Integer),
                      sa.column('title', sa.String), sa.column('search_text', sa.Text))
    bind = op.get_bind()
    last = 0
    while rows := bind.execute(sa.select(items.c.id, items.c.title).where(items.c.id > last)
                               .order_by(items.c.id).limit(BATCH)).all():
        bind.execute(search.insert(), [
            {'id': row.id, 'title': row.title, 'search_text': ' '.join(index_tokens(row.title))}
            for row in rows])
        last = rows[-1].id


def upgrade():
    op.create_table('archive_item_search',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['id'], ['archive_items.id'], name=op.f('fk_archive_item_search_id_archive_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_item_search'))
    )
    _backfill()
    create_search_index('archive_item_search')
    op.create_table('archive_print_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('format', _choice('printformat', 'pdf', 'zip'), nullable=False),
    sa.Column('item_ids', sa.Text(), nullable=False),
    sa.Column('status', _choice('printstatus', 'queued', 'running', 'done', 'failed'), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('skipped', sa.Text(), nullable=True),
    sa.Column('result', sa.LargeBinary(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_archive_print_jobs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_print_jobs'))
    )
    with op.batch_alter_table('archive_print_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_print_jobs_requested_by_id'), ['requested_by_id'], unique=False)
    with op.batch_alter_table('archive_items', schema=None) as batch_op:
        batch_op.create_index('ix_archive_items_business_number', ['business_number'], unique=False)


def downgrade():
    with op.batch_alter_table('archive_items', schema=None) as batch_op:
        batch_op.drop_index('ix_archive_items_business_number')
    with op.batch_alter_table('archive_print_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_print_jobs_requested_by_id'))
    op.drop_table('archive_print_jobs')
    drop_search_index('archive_item_search')
    op.drop_table('archive_item_search')
