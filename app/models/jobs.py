"""Excel imports run as background jobs; the uploaded file is kept in the database so that any
worker on any node can read it."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.base import Choice, TimestampMixin, choice_column


class ImportStatus(Choice):
    CHECKED = ("checked", _l("已预检"))
    QUEUED = ("queued", _l("排队中"))
    RUNNING = ("running", _l("导入中"))
    DONE = ("done", _l("已完成"))
    FAILED = ("failed", _l("失败"))


class DuplicateRule(Choice):
    SKIP = ("skip", _l("跳过已有记录"))
    UPDATE = ("update", _l("更新已有记录"))


class ImportBatch(TimestampMixin, db.Model):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    ledger: Mapped[str] = mapped_column(String(20))  # customers / contracts / sales
    filename: Mapped[str] = mapped_column(String(200))
    file_data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    # The dry run's rows as read (services/imports/kept.py): the job writes them without
    # reading the workbook again.
    kept_rows: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    duplicate_rule: Mapped[DuplicateRule] = mapped_column(choice_column(DuplicateRule),
                                                          default=DuplicateRule.SKIP)
    status: Mapped[ImportStatus] = mapped_column(choice_column(ImportStatus),
                                                 default=ImportStatus.CHECKED)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    # The dry run's per-row outcome (JSON), and the failed rows as .xlsx with a reason column.
    preview: Mapped[str | None] = deferred(mapped_column(Text))
    failed_rows: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    created_by: Mapped[User] = relationship()
