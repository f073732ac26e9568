"""Substring search for Chinese text: characters plus two-character pieces, confirmed by LIKE.

Each searchable row stores tokens: every CJK character, every overlapping pair of
CJK characters, and every ASCII word. SQLite indexes them with FTS5 (external content table
`<table>_fts`), PostgreSQL as a tsvector with a GIN index. A query of one or two characters is
one token lookup; longer ones need all their pairs, then LIKE confirms the exact substring.
"""

import re
import unicodedata

from sqlalchemy import (
    ColumnElement,
    and_,
    cast,
    column,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from app.extensions import db

_PIECES = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")


def normalize(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").casefold()


def _is_cjk(piece: str) -> bool:
    return not piece[0].isascii()


def index_tokens(*values: str | None) -> list[str]:
    """The tokens stored for a row's searchable values."""
    tokens: set[str] = set()
    for value in values:
        for piece in _PIECES.findall(normalize(value or "")):
            if _is_cjk(piece):
                tokens.update(piece)
                tokens.update(piece[i:i + 2] for i in range(len(piece) - 1))
            else:
                tokens.add(piece)
    return sorted(tokens)


def _term_tokens(term: str) -> list[tuple[str, bool]]:
    """(token, is_prefix) that a row containing `term` must have."""
    pieces = _PIECES.findall(normalize(term))
    needed: list[tuple[str, bool]] = []
    for i, piece in enumerate(pieces):
        if _is_cjk(piece):
            pairs = [piece[j:j + 2] for j in range(len(piece) - 1)] or [piece]
            needed.extend((p, False) for p in pairs)
        else:
            # An ASCII word may continue past the end of the term (number prefixes: 2026-TE).
            needed.append((piece, i == len(pieces) - 1))
    return needed


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def match(model, q: str | None) -> ColumnElement[bool] | None:
    """A WHERE clause matching rows whose search fields contain every term of `q`."""
    terms = [t for t in (q or "").split() if _term_tokens(t)]
    if not terms:
        return None
    tokens = [tok for term in terms for tok in _term_tokens(term)]
    fields = [getattr(model, name) for name in model.SEARCH_FIELDS]
    confirm = and_(*(or_(*(f.ilike(_like_pattern(t), escape="\\") for f in fields))
                     for t in terms))
    return and_(_token_clause(model, tokens), confirm)


def _token_clause(model, tokens: list[tuple[str, bool]]) -> ColumnElement[bool]:
    if db.session.get_bind().dialect.name == "postgresql":
        query = " & ".join(f"'{tok}'{':*' if prefix else ''}" for tok, prefix in tokens)
        return model.search_text.op("@@")(cast(literal(query), TSQUERY))
    fts = table(f"{model.__tablename__}_fts", column("rowid"))
    query = " ".join(f'"{tok}"{"*" if prefix else ""}' for tok, prefix in tokens)
    matched = select(fts.c.rowid).where(literal_column(fts.name).op("MATCH")(literal(query)))
    return model.id.in_(matched)
