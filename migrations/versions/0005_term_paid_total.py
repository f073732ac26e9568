"""Receivables aging: each payment term keeps the sum of its payments (paid_total, derived and
kept by payments.sync_paid_totals in the flush that writes a payment), backfilled here from the
payments; a partial covering index of the terms still owing something, and covering indexes of
the contracts in customer and salesperson order.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 06:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

OPEN = "amount > paid_total"


def upgrade():
    with op.batch_alter_table("payment_terms") as batch:
        batch.add_column(sa.Column("paid_total", sa.BigInteger(), nullable=False,
                                   server_default="0"))
    op.execute("UPDATE payment_terms SET paid_total = COALESCE((SELECT SUM(payments.amount) "
               "FROM payments WHERE payments.term_id = payment_terms.id), 0)")
    op.create_index("ix_payment_terms_open", "payment_terms",
                    ["contract_id", "due_date", "amount", "paid_total"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index("ix_contracts_customer_aging", "contracts",
                    ["customer_id", "status", "confidentiality", "id", "owner_id"])
    op.create_index("ix_contracts_owner_aging", "contracts",
                    ["owner_id", "status", "confidentiality", "id", "customer_id"])
    if op.get_bind().dialect.name == "postgresql":
        # Statistics of the backfilled column and the new indexes now, not at the next
        # autovacuum: the aging's plan depends on them.
        op.execute("ANALYZE payment_terms")
        op.execute("ANALYZE contracts")


def downgrade():
    op.drop_index("ix_contracts_owner_aging", table_name="contracts")
    op.drop_index("ix_contracts_customer_aging", table_name="contracts")
    op.drop_index("ix_payment_terms_open", table_name="payment_terms")
    with op.batch_alter_table("payment_terms") as batch:
        batch.drop_column("paid_total")
