"""Archive legal holds (冻结) and disposal (销毁): holds on an item, a customer or a record kind,
the marks that remember the state a hold replaced; disposal lists with their entries (keep or
destroy, outcome); the flow "archive.disposal": the manager of the items' department 审核, then
the GM 批准 (the archivist countersigns when executing, outside the engine: the author signs no
step of their own list).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 13:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

KIND = "archive.disposal"
STATES = ('in_store', 'on_loan', 'held', 'due', 'destroyed')


def _choice(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def _fk(table: str, column: str, target: str):
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def _holds() -> None:
    table = "archive_holds"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", _choice("holdscope", "item", "customer", "kind"), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("record_type", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("confidentiality", sa.SmallInteger(), nullable=False),
        sa.Column("placed_by_id", sa.Integer(), nullable=False),
        sa.Column("placed_at", sa.DateTime(), nullable=False),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        _fk(table, "item_id", "archive_items"), _fk(table, "customer_id", "customers"),
        _fk(table, "placed_by_id", "users"), _fk(table, "released_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_holds")),
    )
    op.create_index("ix_archive_holds_item", table, ["item_id", "released_at"])
    op.create_index("ix_archive_holds_customer", table, ["customer_id", "released_at"])
    op.create_index("ix_archive_holds_kind", table, ["record_type", "released_at"])
    op.create_table(
        "archive_hold_marks",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("previous_state", _choice("archivestate", *STATES), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        _fk("archive_hold_marks", "item_id", "archive_items"),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_archive_hold_marks")),
    )


def _disposals() -> None:
    table = "archive_disposals"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("confidentiality", sa.SmallInteger(), nullable=False),
        sa.Column("status", _choice("disposalstatus", "review", "returned", "waiting", "aborted",
                                    "queued", "running", "failed", "done"), nullable=False),
        sa.Column("appraisal", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("wait_until", sa.DateTime(), nullable=True),
        sa.Column("aborted_by_id", sa.Integer(), nullable=True),
        sa.Column("aborted_at", sa.DateTime(), nullable=True),
        sa.Column("abort_reason", sa.Text(), nullable=True),
        sa.Column("countersigned_by_id", sa.Integer(), nullable=True),
        sa.Column("countersigned_at", sa.DateTime(), nullable=True),
        sa.Column("countersign_hash", sa.String(length=64), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        _fk(table, "department_id", "departments"), _fk(table, "created_by_id", "users"),
        _fk(table, "aborted_by_id", "users"), _fk(table, "countersigned_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_disposals")),
        sa.UniqueConstraint("number", name=op.f("uq_archive_disposals_number")),
    )
    op.create_index("ix_archive_disposals_scope", table, ["department_id", "id"])


def _entries() -> None:
    table = "archive_disposal_entries"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("disposal_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("decision", _choice("entrydecision", "destroy", "keep"), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("keep_reason", sa.Text(), nullable=True),
        sa.Column("outcome", _choice("entryoutcome", "pending", "destroyed", "kept", "skipped",
                                     "withdrawn"), nullable=False),
        sa.Column("outcome_reason", sa.Text(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("personal_data_removed", sa.Boolean(), nullable=False),
        _fk(table, "disposal_id", "archive_disposals"), _fk(table, "item_id", "archive_items"),
        _fk(table, "decided_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_disposal_entries")),
        sa.UniqueConstraint("disposal_id", "item_id", name="uq_archive_disposal_entries_item"),
    )
    op.create_index("ix_archive_disposal_entries_item", table, ["item_id"])
    op.create_index("ix_archive_disposal_entries_outcome", table, ["outcome", "done_at"])


def _flow() -> None:
    flows = sa.table("approval_flows", sa.column("id"), sa.column("kind"), sa.column("name"),
                     sa.column("created_at"), sa.column("updated_at"))
    op.execute(flows.insert().values(kind=KIND, name="档案销毁", created_at=sa.func.now(),
                                     updated_at=sa.func.now()))
    flow_id = op.get_bind().scalar(sa.select(flows.c.id).where(flows.c.kind == KIND))
    steps = sa.table("approval_steps", *(sa.column(c) for c in (
        "flow_id", "position", "name", "rule", "mode", "meaning", "condition_field", "threshold")))
    op.bulk_insert(steps, [
        dict(flow_id=flow_id, position=1, name="档案所属部门经理审核", rule="record_dept_manager",
             mode="any", meaning="review", condition_field=None, threshold=None),
        dict(flow_id=flow_id, position=2, name="总经理批准", rule="gm", mode="any",
             meaning="approval", condition_field=None, threshold=None),
    ])


def upgrade():
    _holds()
    _disposals()
    _entries()
    _flow()


def downgrade():
    kind = {"kind": KIND}
    op.execute(sa.text("DELETE FROM approval_steps WHERE flow_id IN "
                       "(SELECT id FROM approval_flows WHERE kind = :kind)").bindparams(**kind))
    op.execute(sa.text("DELETE FROM approval_flows WHERE kind = :kind").bindparams(**kind))
    for index, table in (("ix_archive_disposal_entries_outcome", "archive_disposal_entries"),
                         ("ix_archive_disposal_entries_item", "archive_disposal_entries"),
                         ("ix_archive_disposals_scope", "archive_disposals"),
                         ("ix_archive_holds_kind", "archive_holds"),
                         ("ix_archive_holds_customer", "archive_holds"),
                         ("ix_archive_holds_item", "archive_holds")):
        op.drop_index(index, table_name=table)
    for table in ("archive_disposal_entries", "archive_disposals", "archive_hold_marks",
                  "archive_holds"):
        op.drop_table(table)
