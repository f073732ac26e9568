"""Meaningful, never-reused numbers from counters incremented in the caller's transaction."""

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import NumberCounter
from app.timeutil import local_today


def next_value(key: str) -> int:
    """Increments counter `key` and returns its new value; the row stays locked until commit."""
    table = NumberCounter.__table__
    bump = (update(table).where(table.c.key == key)
            .values(value=table.c.value + 1).returning(table.c.value))
    value = db.session.execute(bump).scalar()
    if value is None:
        insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        db.session.execute(insert(table).values(key=key, value=0).on_conflict_do_nothing())
        value = db.session.execute(bump).scalar_one()
    return value


def customer_number(industry_code: str) -> str:
    """Year-industry-sequence, e.g. 2026-TECH-001 (the sequence restarts each year)."""
    year = local_today().year
    seq = next_value(f"customer:{year}-{industry_code}")
    return f"{year}-{industry_code}-{seq:03d}"


def series_number(prefix: str, width: int = 4) -> str:
    """A yearly series for one kind of record, e.g. HT-2026-0001 for contracts."""
    year = local_today().year
    return f"{prefix}-{year}-{next_value(f'{prefix}:{year}'):0{width}d}"
