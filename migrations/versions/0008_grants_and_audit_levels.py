"""Two-person rule for power, and the audit trail under clearance.

account_grants: rights asked for an account (a role other than 专员, a higher clearance, a
manager's department, the reactivation or the password reset of an account that holds power),
applied when another person approves them through the "account.grant" flow seeded here.

audit_events.object_level: the confidentiality of what an event is about, so that a viewer
below it sees the event without the object's name, number or values. audit_events.hash_version:
which fields a row's hash covers (1: the first rows', without object_level; 2: with it). The
rows written before this revision keep version 1 and the hash they were written with, so
`flask audit verify` still holds for them; their object_level is filled in below.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-09 09:00:00

"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

GRANT_FLOW = "account.grant"
CONFIDENTIAL = 4
# Object types with a level of their own, and those that take the level of another row.
OWN_LEVEL = {"Customer": "customers", "Contract": "contracts", "VisitPlan": "visit_plans",
             "VisitReport": "visit_reports", "SalesEntry": "sales_entries",
             "Payment": "payments", "Referral": "referrals",
             "ApprovalRequest": "approval_requests"}
VIA = {"Contact": ("contacts", "customer_id", "customers"),
       "OwnershipRequest": ("ownership_requests", "customer_id", "customers"),
       "ChangeRequest": ("change_requests", "record_id", "customers"),
       "ContractChange": ("contract_changes", "contract_id", "contracts")}
# Events about an account or a batch that list customers' numbers in their changes.
NUMBER_LISTS = {"owner_reassigned": "customer_numbers", "customers_imported": "created"}
SQLITE_NO_UPDATE = """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"""


def upgrade():
    _grants()
    _grant_flow()
    op.add_column("audit_events", sa.Column("object_level", sa.SmallInteger(), nullable=True))
    op.add_column("audit_events", sa.Column("hash_version", sa.SmallInteger(), nullable=False,
                                            server_default="1"))
    _with_updates_allowed(_backfill_levels)


def _grants():
    op.create_table(
        "account_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("role_before", sa.String(length=16), nullable=False),
        sa.Column("role_after", sa.String(length=16), nullable=False),
        sa.Column("department_before_id", sa.Integer(), nullable=False),
        sa.Column("department_after_id", sa.Integer(), nullable=False),
        sa.Column("clearance_before", sa.SmallInteger(), nullable=False),
        sa.Column("clearance_after", sa.SmallInteger(), nullable=False),
        sa.Column("reactivate", sa.Boolean(), nullable=False),
        sa.Column("password_reset", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_account_grants_user_id_users")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"],
                                name=op.f("fk_account_grants_requested_by_id_users")),
        sa.ForeignKeyConstraint(["department_before_id"], ["departments.id"],
                                name=op.f("fk_account_grants_department_before_id_departments")),
        sa.ForeignKeyConstraint(["department_after_id"], ["departments.id"],
                                name=op.f("fk_account_grants_department_after_id_departments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_grants")),
    )
    op.create_index(op.f("ix_account_grants_user_id"), "account_grants", ["user_id"])
    op.create_index(op.f("ix_account_grants_status"), "account_grants", ["status"])


def _grant_flow():
    flows = sa.table("approval_flows", sa.column("id"), sa.column("kind"), sa.column("name"),
                     sa.column("created_at"), sa.column("updated_at"))
    op.execute(flows.insert().values(kind=GRANT_FLOW, name="账户授权", created_at=sa.func.now(),
                                     updated_at=sa.func.now()))
    flow_id = op.get_bind().scalar(sa.select(flows.c.id).where(flows.c.kind == GRANT_FLOW))
    steps = sa.table("approval_steps", *(sa.column(c) for c in (
        "flow_id", "position", "name", "rule", "mode", "meaning", "condition_field", "threshold")))
    op.bulk_insert(steps, [dict(flow_id=flow_id, position=1, name="授权审批", rule="gm",
                                mode="any", meaning="approval", condition_field=None,
                                threshold=None)])


def _with_updates_allowed(work):
    """Runs `work` with the append-only guard on UPDATE lifted, inside this migration's
    transaction: PostgreSQL disables the trigger (the migrating role owns the table; no
    superuser needed, unlike session_replication_role) and enables it again, so a failure rolls
    both back; SQLite has no way to disable a trigger, so it is dropped and created again."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        work(bind)
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        work(bind)
        op.execute(SQLITE_NO_UPDATE)


def _backfill_levels(bind):
    """Each event's object_level from its record as it is now (the level an event had when it
    was written is not known; today's is what the record's readers are cleared for).

    A record type whose row is gone (a deleted draft, a removed ledger row) gets 机密, the most
    restrictive level: its label may name a secret customer, and hiding the label from an
    auditor cleared below it loses nothing a cleared auditor cannot still read, while guessing
    内部 could show a 秘密 customer's name to everyone. Events about no record (accounts, flows,
    areas, list exports) stay NULL: they carry no record's data."""
    for object_type, table in OWN_LEVEL.items():
        bind.execute(sa.text(
            f"UPDATE audit_events SET object_level = (SELECT t.confidentiality FROM {table} t "
            f"WHERE t.id = audit_events.object_id) WHERE object_type = :type"
        ), {"type": object_type})
    for object_type, (table, column, target) in VIA.items():
        bind.execute(sa.text(
            f"UPDATE audit_events SET object_level = (SELECT c.confidentiality FROM {table} t "
            f"JOIN {target} c ON c.id = t.{column} WHERE t.id = audit_events.object_id) "
            f"WHERE object_type = :type"
        ), {"type": object_type})
    classified = sa.bindparam("types", list(OWN_LEVEL) + list(VIA), expanding=True)
    bind.execute(sa.text(
        "UPDATE audit_events SET object_level = :level WHERE object_level IS NULL "
        "AND object_id IS NOT NULL AND object_type IN :types"
    ).bindparams(classified), {"level": CONFIDENTIAL})
    _backfill_number_lists(bind)


def _backfill_number_lists(bind):
    """Events listing customers' numbers take the highest level among them (机密 when one of
    them no longer exists, for the reason above)."""
    actions = sa.bindparam("actions", list(NUMBER_LISTS), expanding=True)
    rows = bind.execute(sa.text(
        "SELECT id, action, changes FROM audit_events WHERE action IN :actions"
    ).bindparams(actions)).all()
    for event_id, action, changes in rows:
        numbers = json.loads(changes or "{}").get(NUMBER_LISTS[action]) or []
        level = _highest_level(bind, numbers)
        if level is not None:
            bind.execute(sa.text("UPDATE audit_events SET object_level = :level WHERE id = :id"),
                         {"level": level, "id": event_id})


def _highest_level(bind, numbers: list) -> int | None:
    if not numbers:
        return None
    found = {}
    for start in range(0, len(numbers), 500):
        chunk = sa.bindparam("numbers", numbers[start:start + 500], expanding=True)
        found.update(bind.execute(sa.text(
            "SELECT number, confidentiality FROM customers WHERE number IN :numbers"
        ).bindparams(chunk)).all())
    return CONFIDENTIAL if len(found) < len(set(numbers)) else max(found.values())


def downgrade():
    """Refused once events hashed with object_level exist: without the column their hashes
    could never be verified again."""
    bind = op.get_bind()
    if bind.scalar(sa.text("SELECT count(*) FROM audit_events WHERE hash_version >= 2")):
        raise RuntimeError("audit events written since revision 0008 hash object_level; "
                           "dropping it would break `flask audit verify`")
    op.drop_column("audit_events", "hash_version")
    op.drop_column("audit_events", "object_level")
    op.execute(sa.text("DELETE FROM approval_steps WHERE flow_id IN "
                       "(SELECT id FROM approval_flows WHERE kind = :kind)")
               .bindparams(kind=GRANT_FLOW))
    op.execute(sa.text("DELETE FROM approval_flows WHERE kind = :kind")
               .bindparams(kind=GRANT_FLOW))
    op.drop_index(op.f("ix_account_grants_status"), table_name="account_grants")
    op.drop_index(op.f("ix_account_grants_user_id"), table_name="account_grants")
    op.drop_table("account_grants")
