"""The customer picker: the customers a user may choose that match what they type — one to
three Chinese characters of the name, pinyin initials (华信科技: hxkj) or full pinyin, the number
(2026-TECH-001) or the contact — a few at a time, by name."""

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, or_

from app.extensions import db
from app.models import Customer
from app.services.core import search

LIMIT = 10
# Letters only, spaces ignored: initials or pinyin (hx kj, huaxin).
_LETTERS = re.compile(r"[a-z]{1,100}")
# A choice typed without the picker's script: the number, alone or in the label's brackets.
_LABELLED = re.compile(r"[（(]\s*([0-9A-Za-z-]{1,32})\s*[)）]\s*$")


@dataclass(frozen=True)
class Found:
    """The first matches in name order, and whether there are more than those."""

    rows: list
    more: bool


def _letters(q: str) -> str | None:
    typed = "".join(search.normalize(q).split())
    return typed if _LETTERS.fullmatch(typed) else None


def customer_clause(q: str) -> ColumnElement[bool] | None:
    """Customers matching `q`: the search index (name, number, contact) and, for letters, the
    name's pinyin initials or full pinyin anywhere in it. None when `q` has nothing to match."""
    clause = search.match(Customer, q)
    letters = _letters(q)
    if letters is None:
        return clause
    pinyin = or_(Customer.name_initials.contains(letters, autoescape=True),
                 Customer.name_sort.contains(letters, autoescape=True))
    return pinyin if clause is None else or_(clause, pinyin)


def first(query: Select, limit: int) -> Found:
    """The first `limit` rows of an ordered query, and whether more match."""
    rows = list(db.session.scalars(query.limit(limit + 1)).unique())
    return Found(rows[:limit], len(rows) > limit)


def matching(scoped: Select, q: str, limit: int = LIMIT) -> Found:
    """Customers of `scoped` (a policy-scoped customer query) matching `q`, by name; with no
    `q`, the first ones by name (what the list opens with)."""
    clause = customer_clause(q.strip()[:100])
    query = scoped if clause is None else scoped.where(clause)
    return first(query.order_by(Customer.name_sort, Customer.id), limit)


def typed_number(text: str) -> str | None:
    """The record number in a choice typed by hand: the whole text, or the number in the
    label's closing brackets (华信科技（2026-TECH-001）)."""
    text = (text or "").strip()
    labelled = _LABELLED.search(text)
    if labelled:
        return labelled.group(1)
    return text if text and len(text) <= 32 else None


def numbered(scoped: Select, model, text: str) -> int | None:
    """The id of the record of `scoped` whose number was typed, if any."""
    number = typed_number(text)
    if number is None:
        return None
    query = scoped.with_only_columns(model.id).where(
        model.number == search.normalize(number).upper())
    return db.session.scalar(query.limit(1))
