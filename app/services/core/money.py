"""Money: line amounts and totals in exact Decimal, and amounts in 人民币大写.

Every amount is a Decimal quantized to the fen with ROUND_HALF_UP (never a float): 3 × 0.10 is
0.30 and 1.005 × 1.00 is 1.01.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
# Stored as integer fen in a BIGINT; one line or one contract stays far below that.
MAX_AMOUNT = Decimal("999999999999.99")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def to_fen(value: Decimal) -> Decimal:
    """The amount rounded half up to the fen."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """金额 = 数量 × 单价, to the fen."""
    return to_fen(Decimal(quantity) * Decimal(unit_price))


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum of amounts already in fen."""
    return to_fen(sum((Decimal(a) for a in amounts), Decimal("0")))


def _group_words(number: int) -> str:
    """0 < number < 10000 in words, inner zeros read once (1005 → 壹仟零伍)."""
    words, zero = "", False
    for place in range(3, -1, -1):
        digit = number // 10 ** place % 10
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words += "零"
            zero = False
        words += _DIGITS[digit] + _PLACES[place]
    return words


def _integer_words(number: int) -> str:
    """The yuan part: groups of four digits with 万 / 亿, a 零 where a gap of zeros falls."""
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    if len(groups) > len(_GROUPS):
        raise ValueError("amount too large for 人民币大写")
    words, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = bool(words)
            continue
        if words and (gap or group < 1000):
            words += "零"
        words += _group_words(group) + _GROUPS[index]
        gap = False
    return words


def rmb_upper(amount: Decimal) -> str:
    """人民币大写 as written on cheques and contracts: 壹仟零伍元整, 壹元零伍分, 伍角整."""
    value = to_fen(amount)
    sign = "负" if value < 0 else ""
    fen_total = int(abs(value) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    words = _integer_words(yuan) + "元" if yuan else ""
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif yuan and fen:
        words += "零"
    if fen:
        words += _DIGITS[fen] + "分"
    else:
        words += "整"
    return sign + words
