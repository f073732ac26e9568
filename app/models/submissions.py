"""One-time form tokens that have been used: a create or money-moving form sent twice (a
double click, a retry) answers with the first result instead of saving a second record."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class FormSubmission(db.Model):
    """A token spent by a saved form. The row is written in the transaction that saves the
    record, and the unique nonce lets the database decide between two identical posts: the
    second one's commit fails and it answers with the first one's result instead."""

    __tablename__ = "form_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    endpoint: Mapped[str] = mapped_column(String(100))
    # Where the first result can be seen again (the record it created, the page it showed).
    location: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
