"""Personal data (PIPL): masked on the server everywhere; revealed one value at a time."""

import re

from app.services.core import audit

_PHONE_DIGITS = re.compile(r"\d")
# A phone with at least seven digits: (the first three digits) (what lies between) (the last
# four), other characters (spaces, dashes, +86) wherever they stand.
_PHONE_PARTS = re.compile(r"(\D*(?:\d\D*){3})(.*?)((?:\D*\d){4}\D*)", re.S)


def mask_phone(value: str | None) -> str:
    """138****5678; landlines keep their area code and last four digits. A handful of calls
    into the regex engine, not a few per character: lists mask a phone on every row."""
    if not value:
        return ""
    if len(_PHONE_DIGITS.findall(value)) < 8:
        return "*" * len(value)
    head, middle, tail = _PHONE_PARTS.fullmatch(value).groups()
    return f"{head}{_PHONE_DIGITS.sub('*', middle)}{tail}"


def mask_id_number(value: str | None) -> str:
    """4204**********8888: the region prefix and the last four characters stay."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


MASKS = {"phone": mask_phone, "id_number": mask_id_number}


def masked(obj, field: str) -> str:
    return MASKS[field](getattr(obj, field))


def reveal(obj, field: str, reason: str, actor) -> str:
    """One personal value in clear; records who saw it and why (never the value itself)."""
    if field not in MASKS or field not in obj.PII_FIELDS:
        raise ValueError(field)
    audit.record("reveal_pii", obj, changes={"field": field, "reason": reason}, actor=actor)
    return getattr(obj, field) or ""
