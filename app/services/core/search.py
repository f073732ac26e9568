"""Substring search for Chinese text: characters plus two-character pieces, then a substring test.

Each searchable row stores tokens: every CJK character, every overlapping pair of
CJK characters, and every ASCII word. SQLite indexes them with FTS5 (external content table
`<table>_fts`), PostgreSQL as a tsvector with a GIN index. A query of one or two characters is
one token lookup; longer ones need all their pairs, then a substring test confirms the match
(instr / strpos on the lower-cased text: the same test as ILIKE '%term%', without wildcards to
escape, and without the LIKE selectivity guess that would mislead PostgreSQL's planner).

`restrict` plans the list query (the benchmark in bench/ holds it to 50 ms at 200,000 rows).
A small scope (a salesperson's customers) is walked row by row and each row tested: cheaper
than collecting every hit of a frequent character, which PostgreSQL's planner underrates and
SQLite cannot weigh at all (FTS5 gives it no row counts). A large scope: PostgreSQL plans by
itself; SQLite walks the term's FTS5 hits in id order and stops at the page and the count cap.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Select,
    Table,
    and_,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from app.extensions import db
from app.services.core.pagination import Sort, capped_count

_PIECES = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")
# A scope of at most this many rows is walked row by row (a salesperson's customers).
SMALL_SCOPE = 5000
# SQLite: when a term is in more than this many times as many rows as the small scope holds,
# its FTS5 hits cost more to collect than testing the scope's rows directly.
HITS_PER_SCOPE_ROW = 10
_MAX_TOKENS, _MAX_WORD = 32, 64


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


@dataclass(frozen=True)
class Searched:
    """A query narrowed by a search, the sort to page it with, and how to count it."""

    query: Select
    sort: Sort
    # Count and first page in one walk in `sort` order: a small scope is cheaper walked once
    # than twice, and SQLite's FTS5 join counted in any other order would probe FTS5 per row.
    one_walk: bool = False


def _terms(q: str | None) -> list[str]:
    """The words of `q` that have tokens (a lone '%' has none and does not filter)."""
    return [t for t in (q or "").split() if _term_tokens(t)]


def _contains(field, term: str, dialect: str) -> ColumnElement[bool]:
    """`term` occurs in `field`, ignoring case (ILIKE '%term%' with every character literal)."""
    position = func.strpos if dialect == "postgresql" else func.instr
    if term.lower() == term.upper():
        # No cased letters (Chinese, digits): lower() cannot change whether it occurs.
        return position(field, literal(term)) > 0
    return position(func.lower(field), func.lower(literal(term))) > 0


def _confirm(model, terms: list[str], dialect: str) -> ColumnElement[bool]:
    """Every term occurs in one of the search fields."""
    fields = [getattr(model, name) for name in model.SEARCH_FIELDS]
    return and_(*(or_(*(_contains(f, t, dialect) for f in fields)) for t in terms))


def _tokens(terms: list[str]) -> list[tuple[str, bool]]:
    """Index tokens all of `terms` need, enough to narrow the candidates (the substring test
    decides): at most _MAX_TOKENS, each once, an ASCII word cut to a prefix of _MAX_WORD. Every
    token of a long query would make an index query as long as it, and PostgreSQL refuses a
    tsquery word over 2 KB."""
    needed: dict[str, bool] = {}
    for term in terms:
        for token, prefix in _term_tokens(term):
            if len(token) > _MAX_WORD:
                token, prefix = token[:_MAX_WORD], True
            needed.setdefault(token, prefix)
    return list(needed.items())[:_MAX_TOKENS]


def _dialect() -> str:
    """The database in use: 'sqlite' or 'postgresql'."""
    return db.session.get_bind().dialect.name


def match(model, q: str | None) -> ColumnElement[bool] | None:
    """A WHERE clause matching rows whose search fields contain every term of `q`."""
    terms = _terms(q)
    if not terms:
        return None
    dialect = _dialect()
    return and_(_token_clause(model, _tokens(terms), dialect), _confirm(model, terms, dialect))


def restrict(query: Select, model, q: str | None, sort: Sort) -> Searched:
    """`query` narrowed to rows matching `q`, with the sort and count plan that answer fastest:
    a small scope (a salesperson's customers) is walked row by row, a large one by the index."""
    terms = _terms(q)
    if not terms:
        return Searched(query, sort)
    dialect = _dialect()
    tokens, confirm = _tokens(terms), _confirm(model, terms, dialect)
    scope, large = capped_count(query, model, SMALL_SCOPE)
    if dialect == "postgresql":
        if large:
            return Searched(query.where(_token_clause(model, tokens, dialect), confirm), sort)
        # `IS TRUE` hides the GIN index: collecting all of a frequent term's hits costs more
        # than testing the few thousand rows of a small scope, walked once.
        matched = _token_clause(model, tokens, dialect).is_(True)
        return Searched(query.where(matched, confirm), sort, one_walk=True)
    if not large:
        return Searched(_walk_scope(query, model, tokens, confirm, scope), sort, one_walk=True)
    return _walk_hits(query, model, tokens, confirm, sort)


def _walk_hits(query: Select, model, tokens, confirm, sort: Sort) -> Searched:
    """SQLite, large scope: in id order, walk the term's FTS5 hits in that order and stop early;
    in another order, let SQLite collect the hits and sort them."""
    if sort.column is not model.id:
        return Searched(query.where(_token_clause(model, tokens, "sqlite"), confirm), sort,
                        one_walk=True)
    fts = _fts(model.__tablename__)
    joined = query.join(fts, fts.c.id == model.id).where(_fts_match(fts, tokens), confirm)
    return Searched(joined, Sort(fts.c.id, sort.descending, unique=True), one_walk=True)


def _walk_scope(query: Select, model, tokens, confirm, scope: int) -> Select:
    """SQLite, small scope: its rows in index order, each tested against the term's hits."""
    fts = _fts(model.__tablename__)
    hits = select(fts.c.id).where(_fts_match(fts, tokens))
    limit = HITS_PER_SCOPE_ROW * max(scope, 1)
    counted = select(func.count()).select_from(hits.limit(limit + 1).subquery())
    if db.session.scalar(counted) > limit:
        return query.where(confirm)
    # `id + 0` keeps SQLite from driving the query by the hit list: the scope's index leads.
    return query.where((model.id + 0).in_(hits), confirm)


@cache
def _fts(table_name: str) -> Table:
    """The FTS5 table of `table_name`; its rowid is the row's id (read as `id`)."""
    return Table(f"{table_name}_fts", MetaData(), Column("rowid", Integer, key="id"))


def _fts_match(fts: Table, tokens: list[tuple[str, bool]]) -> ColumnElement[bool]:
    """The FTS5 MATCH of every token (a trailing ASCII word as a prefix)."""
    query = " ".join(f'"{tok}"{"*" if prefix else ""}' for tok, prefix in tokens)
    return literal_column(fts.name).op("MATCH")(literal(query))


def _token_clause(model, tokens: list[tuple[str, bool]], dialect: str) -> ColumnElement[bool]:
    """Rows having every token: a tsquery on PostgreSQL, the FTS5 hits on SQLite."""
    if dialect == "postgresql":
        query = " & ".join(f"'{tok}'{':*' if prefix else ''}" for tok, prefix in tokens)
        # Inlined (tokens hold only letters and digits), so that every term gets a plan of its
        # own: a generic plan made for one term's frequency can be ruinous for another's.
        tsquery = cast(literal(query, literal_execute=True), TSQUERY)
        return model.search_text.op("@@", is_comparison=True)(tsquery)
    fts = _fts(model.__tablename__)
    return model.id.in_(select(fts.c.id).where(_fts_match(fts, tokens)))
