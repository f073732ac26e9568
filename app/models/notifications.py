"""In-app notices (审批结果, 变更通知...), rendered in the reader's language."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))  # a key of services.notifications.MESSAGES
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON for the message template
    # Where the notice leads: an endpoint and its arguments (URLs are built when shown).
    link_endpoint: Mapped[str | None] = mapped_column(String(80))
    link_args: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
