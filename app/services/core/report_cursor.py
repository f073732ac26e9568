"""Opaque keyset cursors for pages of aggregated rows (a group's total, then its key)."""

import base64
import json


def encode_cursor(value: int, key: int) -> str:
    """A URL-safe cursor for the row (value, key)."""
    raw = json.dumps([int(value), int(key)])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[int, int] | None:
    """(value, key) of a cursor, or None for no cursor or one that is not ours."""
    if not cursor:
        return None
    try:
        value, key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return int(value), int(key)
    except (ValueError, TypeError):
        return None
