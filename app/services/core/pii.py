"""Personal data (PIPL): masked on the server everywhere; revealed one value at a time."""

import re

from app.services.core import audit

_PHONE_DIGITS = re.compile(r"\d")


def mask_phone(value: str | None) -> str:
    """138****5678; landlines keep their area code and last four digits."""
    if not value:
        return ""
    digits = [i for i, ch in enumerate(value) if _PHONE_DIGITS.match(ch)]
    if len(digits) < 8:
        return "*" * len(value)
    hidden = set(digits[3:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


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
