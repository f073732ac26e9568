"""Corrections by reversal (红冲) and payment methods as codes: payments and ledger rows name the
row they reverse (once at most) with the reason; a reversal above the approval threshold waits
in reversal_requests for the manager's signature (flow "sales.reversal"); payment methods
stored as Chinese labels or the first codes become the codes of models.PaymentMethod.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 08:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

KIND = "sales.reversal"
# Every spelling the application or the demo data ever stored, to its code.
METHODS = {
    "bank_transfer": ("transfer", "银行转账", "转账", "电汇", "网银"),
    "acceptance_bill": ("bill", "银行承兑汇票", "承兑汇票", "承兑"),
    "check": ("cheque", "支票", "本人支票"),
    "cash": ("现金",),
    "other": ("其他",),
}
CODES = tuple(METHODS)
FIRST_CODES = {"bank_transfer": "transfer", "acceptance_bill": "bill", "check": "cheque"}


def _reversal_columns(table: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("reverses_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reversal_reason", sa.Text(), nullable=True))
        batch.create_foreign_key(op.f(f"fk_{table}_reverses_id_{table}"), table,
                                 ["reverses_id"], ["id"])
        batch.create_index(f"ux_{table}_reverses_id", ["reverses_id"], unique=True)


def _requests_table() -> None:
    op.create_table(
        "reversal_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("confidentiality", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_reversal_requests_payment_id_payments")),
        sa.ForeignKeyConstraint(["entry_id"], ["sales_entries.id"],
                                name=op.f("fk_reversal_requests_entry_id_sales_entries")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"],
                                name=op.f("fk_reversal_requests_requested_by_id_users")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"],
                                name=op.f("fk_reversal_requests_owner_id_users")),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_reversal_requests_department_id_departments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reversal_requests")),
    )
    op.create_index("ix_reversal_requests_payment", "reversal_requests",
                    ["payment_id", "status"])
    op.create_index("ix_reversal_requests_entry", "reversal_requests", ["entry_id", "status"])


def _flow() -> None:
    """One step: the manager of the record's department signs (the engine hands it to the GM
    when that manager asked for the reversal)."""
    flows = sa.table("approval_flows", sa.column("id"), sa.column("kind"), sa.column("name"),
                     sa.column("created_at"), sa.column("updated_at"))
    op.execute(flows.insert().values(kind=KIND, name="回款与台账红冲", created_at=sa.func.now(),
                                     updated_at=sa.func.now()))
    flow_id = op.get_bind().scalar(sa.select(flows.c.id).where(flows.c.kind == KIND))
    steps = sa.table("approval_steps", *(sa.column(c) for c in (
        "flow_id", "position", "name", "rule", "mode", "meaning", "condition_field", "threshold")))
    op.bulk_insert(steps, [dict(flow_id=flow_id, position=1, name="部门经理审批",
                                rule="record_dept_manager", mode="any", meaning="approval",
                                condition_field=None, threshold=None)])


def _methods_to_codes() -> None:
    """Known spellings become codes; anything else becomes 其他, its text kept in the note."""
    payments = sa.table("payments", sa.column("method"), sa.column("note"))
    for code, spellings in METHODS.items():
        op.execute(payments.update().where(payments.c.method.in_(spellings))
                   .values(method=code))
    unknown = payments.c.method.is_not(None) & payments.c.method.not_in(CODES)
    kept = sa.literal("付款方式：") + payments.c.method
    note = sa.case((payments.c.note.is_(None), kept),
                   else_=payments.c.note + sa.literal("\n") + kept)
    op.execute(payments.update().where(unknown).values(note=note, method="other"))


def upgrade():
    _reversal_columns("payments")
    _reversal_columns("sales_entries")
    _requests_table()
    _flow()
    _methods_to_codes()


def downgrade():
    payments = sa.table("payments", sa.column("method"))
    for code, first in FIRST_CODES.items():
        op.execute(payments.update().where(payments.c.method == code).values(method=first))
    kind = {"kind": KIND}
    op.execute(sa.text("DELETE FROM approval_steps WHERE flow_id IN "
                       "(SELECT id FROM approval_flows WHERE kind = :kind)").bindparams(**kind))
    op.execute(sa.text("DELETE FROM approval_flows WHERE kind = :kind").bindparams(**kind))
    op.drop_index("ix_reversal_requests_entry", table_name="reversal_requests")
    op.drop_index("ix_reversal_requests_payment", table_name="reversal_requests")
    op.drop_table("reversal_requests")
    for table in ("sales_entries", "payments"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ux_{table}_reverses_id")
            batch.drop_constraint(op.f(f"fk_{table}_reverses_id_{table}"), type_="foreignkey")
            batch.drop_column("reversal_reason")
            batch.drop_column("reverses_id")

