"""The working-time calendar's settings (services/core/worktime.py): the working intervals of a
working day, dated exceptions to the statutory calendar, and the version every edit bumps so
that the calendar cached in each process knows it is stale."""

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.base import utcnow

# The intervals a fresh installation works: a lunch break between two.
DEFAULT_INTERVALS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))


class WorkInterval(db.Model):
    """One working interval of every working day (08:30–12:00); several make a day."""

    __tablename__ = "work_intervals"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)


class WorkdayException(db.Model):
    """A day an administrator made working or non-working, overriding the statutory calendar
    (for years the holiday library does not cover yet, or a company's own arrangement)."""

    __tablename__ = "workday_exceptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    created_by: Mapped[User] = relationship(lazy="raise")


class CalendarState(db.Model):
    """The one row (id 1) whose version every calendar edit increments in its transaction."""

    __tablename__ = "work_calendar_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
