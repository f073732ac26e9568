"""The duty roster of a month as the page, the Excel export and the print show it: the entries
policy lets the user see, by day and person, with the month's total hours."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import User
from app.models.service.roster import DutyShift
from app.timeutil import local_today


@dataclass
class RosterFilters:
    month: date = field(default_factory=lambda: local_today().replace(day=1))
    user_id: int | None = None


@dataclass
class Roster:
    month: date
    rows: list[DutyShift]
    total_hours: Decimal

    @property
    def previous(self) -> date:
        return (self.month - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.month + timedelta(days=32)).replace(day=1)


def month_end(month: date) -> date:
    """The last day of `month`'s month."""
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def filtered(scoped: Select, f: RosterFilters) -> Select:
    """The month's entries of the scoped query, one person's when asked."""
    query = scoped.where(DutyShift.duty_date >= f.month.replace(day=1),
                         DutyShift.duty_date <= month_end(f.month))
    if f.user_id:
        query = query.where(DutyShift.user_id == f.user_id)
    return query


def roster(scoped: Select, f: RosterFilters) -> Roster:
    """The month's entries in order of day and person, each with its person loaded (a month is
    at most a few hundred rows: shown whole, never paged)."""
    query = (filtered(scoped, f).join(User, User.id == DutyShift.user_id)
             .options(selectinload(DutyShift.user))
             .order_by(DutyShift.duty_date, User.full_name, DutyShift.id))
    rows = list(db.session.scalars(query))
    total = sum((row.hours for row in rows if row.hours is not None), Decimal(0))
    return Roster(f.month.replace(day=1), rows, total)


def hours_text(hours: Decimal | None) -> str:
    """Hours without trailing zeros: 8, 7.5."""
    return "" if hours is None else f"{hours.normalize():f}"



def export_table(listed: Roster) -> tuple[list[str], list[tuple]]:
    """(headers, rows) of the month as the page lists it, with a 合计 of the hours."""
    headers = [_("日期"), _("值班人员"), _("交接时间"), _("工作内容"), _("工作时长（小时）"),
               _("备注")]
    rows = [(row.duty_date.isoformat(), row.user.full_name,
             row.handover_at.strftime("%Y-%m-%d %H:%M") if row.handover_at else None,
             row.work_content, row.hours, row.remarks) for row in listed.rows]
    return headers, rows
