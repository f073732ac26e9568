"""Opaque keyset cursors: a few JSON scalars, URL-safe. A cursor comes back in a link anyone
can edit, so reading one checks everything a query will bind; one this application did not
make is BadCursor (answered 400), never a value handed to the database."""

import base64
import binascii
import json

from app.models.base import MAX_BIGINT, MAX_INTEGER


class BadCursor(ValueError):
    """A paging cursor this application did not make: typed by hand, cut short or altered."""


def pack(*values) -> str:
    """A URL-safe cursor holding `values` (JSON scalars)."""
    raw = json.dumps(list(values), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def unpack(cursor: str, size: int) -> list:
    """The `size` scalars (text, numbers, null) a cursor holds; BadCursor for anything else,
    such as a JSON object or list where a value should be."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error, RecursionError) as error:
        raise BadCursor(cursor) from error
    if not isinstance(values, list) or len(values) != size:
        raise BadCursor(cursor)
    if any(isinstance(value, dict | list) for value in values):
        raise BadCursor(cursor)
    return values


def whole(value, limit: int = MAX_BIGINT) -> int:
    """A JSON number that is a whole number a BIGINT (or, with `limit`, an INTEGER) holds."""
    if isinstance(value, bool) or not isinstance(value, int) or not -limit - 1 <= value <= limit:
        raise BadCursor(value)
    return value


def row_id(value) -> int:
    """A row's id as a cursor holds it: 1 to the INTEGER maximum."""
    if whole(value, MAX_INTEGER) < 1:
        raise BadCursor(value)
    return value


def encode_cursor(value: int, key: int) -> str:
    """A cursor for the aggregated row (value, key): a group's total, then its key."""
    return pack(int(value), int(key))


def decode_cursor(cursor: str | None) -> tuple[int, int] | None:
    """(value, key) of an aggregated row's cursor, None for no cursor; BadCursor for one that
    is not ours."""
    if not cursor:
        return None
    value, key = unpack(cursor, 2)
    return whole(value), row_id(key)
