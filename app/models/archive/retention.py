"""The retention schedule (保管期限表): per record type a period code for the 档号, its years
(none: permanent) and the event it counts from; edited by an administrator."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import Choice, choice_column, utcnow


class RetentionTrigger(Choice):
    """The event a period counts from: signing and filing are known of every record; the others
    are asked of the record's kind, which answers None while the event is still ahead."""

    SIGNING = ("signing", _l("审批生效"))
    FILING = ("filing", _l("归档"))
    COMPLETION = ("completion", _l("履行完毕"))
    CLOSURE = ("closure", _l("办结关闭"))
    RELATIONSHIP_END = ("relationship_end", _l("客户关系终止"))
    SUPERSEDED = ("superseded", _l("被新版本取代"))


class RetentionRule(db.Model):
    __tablename__ = "retention_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40), unique=True)
    code: Mapped[str] = mapped_column(String(8))  # 保管期限 in the 档号: D10, D30, Y…
    years: Mapped[int | None] = mapped_column(Integer)  # None: permanent (永久)
    trigger: Mapped[RetentionTrigger] = mapped_column(choice_column(RetentionTrigger, 20))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
