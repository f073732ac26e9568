"""Keyset pagination and capped counts: lists never load or count everything."""

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import Select, func, select, tuple_

from app.extensions import db


@dataclass(frozen=True)
class Sort:
    column: object  # a mapped column; ties are broken by the model's id
    descending: bool


@dataclass
class Page:
    rows: list
    next_cursor: str | None = None
    prev_cursor: str | None = None


def _encode(value, row_id: int) -> str:
    if isinstance(value, date | datetime):
        value = value.isoformat()
    raw = json.dumps([value, row_id], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, sort: Sort) -> tuple | None:
    """The (value, id) in a cursor, or None for a cursor that is not ours."""
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        python_type = sort.column.type.python_type
        if python_type is datetime:
            value = datetime.fromisoformat(value)
        elif python_type is date:
            value = date.fromisoformat(value)
        return value, int(row_id)
    except (ValueError, TypeError, NotImplementedError):
        return None


def keyset_page(query: Select, model, sort: Sort, *, after: str | None = None,
                before: str | None = None, size: int | None = None) -> Page:
    """One page of `query` in (sort column, id) order, after or before an opaque cursor."""
    size = size or current_app.config["PAGE_SIZE"]
    cursor = _decode(after or before, sort) if (after or before) else None
    backwards = cursor is not None and not after
    descending = sort.descending != backwards
    key = tuple_(sort.column, model.id)
    if cursor:
        query = query.where(key < tuple_(*cursor) if descending else key > tuple_(*cursor))
    order = ((sort.column.desc(), model.id.desc()) if descending
             else (sort.column.asc(), model.id.asc()))
    rows = list(db.session.scalars(query.order_by(*order).limit(size + 1)).unique())
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    page = Page(rows)
    if rows:
        has_next = True if backwards else more
        has_prev = more if backwards else cursor is not None
        attr = sort.column.key
        if has_next:
            page.next_cursor = _encode(getattr(rows[-1], attr), rows[-1].id)
        if has_prev:
            page.prev_cursor = _encode(getattr(rows[0], attr), rows[0].id)
    return page


def capped_count(query: Select, model, cap: int | None = None) -> tuple[int, bool]:
    """(count, capped): counts no further than `cap` rows."""
    cap = cap or current_app.config["COUNT_CAP"]
    limited = query.with_only_columns(model.id).order_by(None).limit(cap + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(limited))
    return min(total, cap), total > cap
