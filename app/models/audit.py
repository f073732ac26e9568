"""The append-only, hash-chained audit trail."""

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.accounts import Level
from app.models.base import LevelType

GENESIS_HASH = "0" * 64
# What a row's hash covers: 1, the fields of the first rows; 2, those and object_level. Rows
# keep the version they were written with, so adding a field never breaks the existing chain.
HASH_VERSION = 2


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_actor_id_id", "actor_id", "id"),
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_action_id", "action", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    object_label: Mapped[str | None] = mapped_column(String(200))
    # Canonical JSON: {"field": [old, new]} or {"field": "changed"} for personal data.
    changes: Mapped[str] = mapped_column(Text, default="{}")
    ip: Mapped[str | None] = mapped_column(String(64))
    # The confidentiality of the object when the event was written (None: the object has none,
    # e.g. an account or a flow). A viewer below it sees the event, not the object's details.
    object_level: Mapped[Level | None] = mapped_column(LevelType(Level))
    hash_version: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    # Unique: two events can never claim the same predecessor, so the chain cannot fork.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(db.Model):
    """One row naming the chain's last hash: appends compare-and-swap it, verify checks the tail."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))
