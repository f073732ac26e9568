"""Archive loans (借阅): requests with their items, method, purpose, period, approval and
hand-out/return; the flow "archive.loan" whose one step follows 002 篇七 1.5 (the requester's own
department's manager for its items, the GM for another department's: the approver rule
own_dept_manager_else_gm, a new code of the approval_steps.rule column, which has no check
constraint to widen).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 13:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

KIND = "archive.loan"


def _choice(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def _fk(table: str, column: str, target: str):
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def _loans_table() -> None:
    op.create_table(
        "archive_loans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("borrower_id", sa.Integer(), nullable=False),
        sa.Column("borrower_department_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("method", _choice("loanmethod", "online", "copy", "paper"), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("renewal_days", sa.Integer(), nullable=True),
        sa.Column("confidentiality", sa.SmallInteger(), nullable=False),
        sa.Column("status", _choice("loanstatus", "pending", "approved", "lent", "returned",
                                    "expired", "rejected", "withdrawn"), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("handed_out_at", sa.DateTime(), nullable=True),
        sa.Column("handed_out_by_id", sa.Integer(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("returned_by_id", sa.Integer(), nullable=True),
        sa.Column("return_condition", _choice("returncondition", "complete", "damaged"),
                  nullable=True),
        sa.Column("return_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("archive_loans", "borrower_id", "users"),
        _fk("archive_loans", "borrower_department_id", "departments"),
        _fk("archive_loans", "department_id", "departments"),
        _fk("archive_loans", "handed_out_by_id", "users"),
        _fk("archive_loans", "returned_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_loans")),
    )
    op.create_index("ix_archive_loans_borrower", "archive_loans", ["borrower_id", "id"])
    op.create_index("ix_archive_loans_department", "archive_loans", ["department_id", "id"])
    op.create_index("ix_archive_loans_borrower_department", "archive_loans",
                    ["borrower_department_id", "id"])
    op.create_index("ix_archive_loans_status_due", "archive_loans", ["status", "due_at"])


def _loan_items_table() -> None:
    op.create_table(
        "archive_loan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        _fk("archive_loan_items", "loan_id", "archive_loans"),
        _fk("archive_loan_items", "item_id", "archive_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_loan_items")),
        sa.UniqueConstraint("loan_id", "item_id", name="uq_archive_loan_items_loan_item"),
    )
    op.create_index("ix_archive_loan_items_item", "archive_loan_items", ["item_id", "loan_id"])


def _flow() -> None:
    flows = sa.table("approval_flows", sa.column("id"), sa.column("kind"), sa.column("name"),
                     sa.column("created_at"), sa.column("updated_at"))
    op.execute(flows.insert().values(kind=KIND, name="档案借阅", created_at=sa.func.now(),
                                     updated_at=sa.func.now()))
    flow_id = op.get_bind().scalar(sa.select(flows.c.id).where(flows.c.kind == KIND))
    steps = sa.table("approval_steps", *(sa.column(c) for c in (
        "flow_id", "position", "name", "rule", "mode", "meaning", "condition_field", "threshold")))
    op.bulk_insert(steps, [dict(flow_id=flow_id, position=1, name="借阅审批",
                                rule="own_dept_manager_else_gm", mode="any", meaning="approval",
                                condition_field=None, threshold=None)])


def upgrade():
    _loans_table()
    _loan_items_table()
    _flow()


def downgrade():
    kind = {"kind": KIND}
    op.execute(sa.text("DELETE FROM approval_steps WHERE flow_id IN "
                       "(SELECT id FROM approval_flows WHERE kind = :kind)").bindparams(**kind))
    op.execute(sa.text("DELETE FROM approval_flows WHERE kind = :kind").bindparams(**kind))
    op.drop_index("ix_archive_loan_items_item", table_name="archive_loan_items")
    op.drop_table("archive_loan_items")
    for name in ("ix_archive_loans_status_due", "ix_archive_loans_borrower_department",
                 "ix_archive_loans_department", "ix_archive_loans_borrower"):
        op.drop_index(name, table_name="archive_loans")
    op.drop_table("archive_loans")
