"""Customer pickers: each customer keeps the pinyin initials of its name (华信科技 → hxkj), so
that typing initials finds it; backfilled here for the customers already registered.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 08:00:00

"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op
from pypinyin import Style, lazy_pinyin

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BATCH = 2000


def pinyin_initials(name: str) -> str:
    """As services.customers.operations.pinyin_initials computes it (kept here as it was)."""
    letters = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
    return re.sub(r"[^0-9a-z]+", "", unicodedata.normalize("NFKC", letters).casefold())[:100]


def upgrade():
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("name_initials", sa.String(100), nullable=False,
                                   server_default=""))
    customers = sa.table("customers", sa.column("id", sa.Integer), sa.column("name", sa.String),
                         sa.column("name_initials", sa.String))
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(sa.select(customers.c.id, customers.c.name)
                            .where(customers.c.id > last).order_by(customers.c.id)
                            .limit(BATCH)).all()
        if not rows:
            break
        bind.execute(customers.update().where(customers.c.id == sa.bindparam("row_id"))
                     .values(name_initials=sa.bindparam("initials")),
                     [{"row_id": row.id, "initials": pinyin_initials(row.name)} for row in rows])
        last = rows[-1].id


def downgrade():
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("name_initials")
