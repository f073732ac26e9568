"""Satisfaction (满意度, spec a9): one 1–5 scale for every record, survey and import. The seeds'
scales conflict (004's 1–5 score, 004's survey words, 001's 1–10 score); all are stored as the
1–5 score: words by their level, 1–10 scores as ⌈x/2⌉. A satisfied answer scores 4 or 5, and the
satisfaction rate is the share of satisfied answers among those given."""

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func

from app.models.base import LevelChoice

SATISFIED_FROM = 4  # 满意 and above
LOWEST, HIGHEST = 1, 5


class Satisfaction(LevelChoice):
    """The 5-point scale: 004's record score (5 非常满意) with the survey's words; the survey's
    list stops at 不满意, and the scale's missing fifth level is 非常不满意."""

    VERY_SATISFIED = (5, _l("非常满意"))
    SATISFIED = (4, _l("满意"))
    NEUTRAL = (3, _l("一般"))
    DISSATISFIED = (2, _l("不满意"))
    VERY_DISSATISFIED = (1, _l("非常不满意"))


# The survey's words as people type them into a sheet (Chinese first, English labels too).
_WORDS = {"非常满意": 5, "很满意": 5, "满意": 4, "一般": 3, "基本满意": 3, "不满意": 2,
          "非常不满意": 1, "很不满意": 1, "very satisfied": 5, "satisfied": 4, "neutral": 3,
          "dissatisfied": 2, "very dissatisfied": 1}
_SCORE = re.compile(r"^(\d+(?:\.\d+)?)\s*分?$")


class NotAScore(ValueError):
    """A value that is neither a score of the given scale nor one of the survey's words."""


def label(score: int | None) -> str:
    """The word of a 1–5 score (非常满意 … 非常不满意); empty for no answer, the number
    itself for a score off the scale (a row written before the scale was checked)."""
    if score is None:
        return ""
    return str(Satisfaction(score).label) if LOWEST <= score <= HIGHEST else str(score)


def from_ten(score) -> int:
    """A 1–10 score (001 服务质量评价) on the 1–5 scale: ⌈x/2⌉, so 9–10 → 5 and 1–2 → 1."""
    value = _number(score)
    if not 1 <= value <= 10:
        raise NotAScore(str(score))
    return math.ceil(value / 2)


def from_word(text: str) -> int:
    """A survey word (非常满意/满意/一般/不满意/非常不满意) as its score."""
    key = " ".join(str(text).split()).strip("。.!！").lower()
    if key not in _WORDS:
        raise NotAScore(str(text))
    return _WORDS[key]


def parse(value, scale: int = 5) -> int | None:
    """An imported answer as a 1–5 score: a survey word, or a number of the `scale` (5 or 10),
    with or without 分. None for a blank cell; NotAScore for anything else (the import reports
    the row)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and not _SCORE.match(value.strip()):
        return from_word(value)
    if scale == 10:
        return from_ten(value)
    number = _number(value)
    if number != int(number) or not LOWEST <= number <= HIGHEST:
        raise NotAScore(str(value))
    return int(number)


def _number(value) -> Decimal:
    """The number in a cell (3, 3.0, "3", "3分"); NotAScore if there is none."""
    if isinstance(value, bool):
        raise NotAScore(str(value))
    text = str(value).strip()
    match = _SCORE.match(text)
    if not match:
        raise NotAScore(text)
    try:
        return Decimal(match.group(1))
    except InvalidOperation as error:
        raise NotAScore(text) from error


def is_satisfied(score: int | None) -> bool:
    """满意 or 非常满意 (4 or 5)."""
    return score is not None and score >= SATISFIED_FROM


def rate(satisfied: int, answered: int) -> Decimal | None:
    """满意率 in percent with one decimal (satisfied answers / answers); None without answers."""
    if not answered:
        return None
    return (Decimal(100 * satisfied) / answered).quantize(Decimal("0.1"), ROUND_HALF_UP)


def mean(total: int, answered: int) -> Decimal | None:
    """平均分 with two decimals; None without answers."""
    if not answered:
        return None
    return (Decimal(total) / answered).quantize(Decimal("0.01"), ROUND_HALF_UP)


def sql_answered(column):
    """COUNT of the answers given (a SQL aggregate over a satisfaction column)."""
    return func.count(column)


def sql_satisfied(column):
    """How many answers are satisfied (≥ 4), as a SQL aggregate."""
    return func.coalesce(func.sum(case((column >= SATISFIED_FROM, 1), else_=0)), 0)


def sql_total(column):
    """The sum of the scores, for the mean, as a SQL aggregate."""
    return func.coalesce(func.sum(column), 0)
