"""Reading a row's cells, shared by the ledgers' importers: short lists (labels in either
language, or codes), dates, exact decimals and texts, each problem in the user's words.

Numbers are never computed in floats. The reader gives a number cell as an int or a float
(app/services/imports/xlsx.py); a float is taken as the shortest decimal that reads back as the
same stored value (its repr), which is exactly what was typed for up to 15 significant digits,
Excel's own precision. A longer value (a formula's 0.30000000000000004) is rounded to 15
significant digits, as Excel shows it. More decimals than a column allows are then refused,
never rounded away.
"""

import math
import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl.utils.datetime import from_excel

from app.services.core.money import MAX_AMOUNT, line_amount
from app.services.imports.base import cell_text

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y年%m月%d号", "%Y%m%d",
                "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
EXCEL_DIGITS = Context(prec=15, rounding=ROUND_HALF_EVEN)
QUANTITY_MAX = Decimal("999999999.999")
_GROUPING = re.compile(r"[,，¥￥\s]")


def fold(text: str) -> str:
    """A value as compared with the lists: full/half width folded, no spaces, any case, any
    kind of bracket read as ( )."""
    text = "".join(unicodedata.normalize("NFKC", text).split()).casefold()
    return text.translate(_BRACKETS)


_BRACKETS = str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")"})
_LABEL_PARTS = re.compile(r"^(?P<head>[^()]+)\((?P<inner>[^()]+)\)$")
# Endings a label is often written without (意向客户 → 意向, 服务合同 → 服务, 制造业 → 制造).
_ENDINGS = ("客户", "合同", "行业", "业")
_SYNONYMS: dict[type, dict[str, object]] = {}


def add_synonyms(enum, words: dict) -> None:
    """Registers other names people write for `enum`'s members ({member: (word, …)}); every
    import of that choice accepts them (case and width folded like labels)."""
    table = _SYNONYMS.setdefault(enum, {})
    for member, names in words.items():
        table.update({fold(name): member for name in names})


def derived_names(label: str) -> set[str]:
    """The shorter names a label is commonly written as (folded): A类(重点) → a类, 重点, a,
    a类客户; 意向客户 → 意向."""
    folded = fold(label)
    parts = _LABEL_PARTS.match(folded)
    names = {parts["head"], parts["inner"]} if parts else {folded}
    for name in list(names):
        if name.endswith("类") and len(name) > 1:
            names |= {name[:-1], name + "客户"}
        ending = next((end for end in _ENDINGS if name.endswith(end)), "")
        if ending and len(name) > len(ending):
            names.add(name[:-len(ending)])
    return names - {folded}


def choice_table(enum) -> dict[str, object]:
    """{name: member}: the Chinese and English labels (as written and folded), the stored
    codes, then the registered synonyms, then the shorter names derived from the labels (only
    those that name one member); an earlier name is never taken over by a later one."""
    table, derived = {}, {}
    for locale in ("en", "zh_CN"):
        with force_locale(locale):
            for member in enum:
                label = str(member.label)
                table.update({fold(label): member, label: member})
                for name in derived_names(label):
                    derived.setdefault(name, set()).add(member)
    table.update({fold(str(m.value)): m for m in enum})
    table.update({name: member for name, member in _SYNONYMS.get(enum, {}).items()
                  if name not in table})
    for name, members in derived.items():
        if len(members) == 1 and name not in table:
            table[name] = members.pop()
    return table


def allowed(enum) -> str:
    return "、".join(str(m.label) for m in enum)


def lookup(table: dict, enum, text: str, column: str) -> tuple[object, str | None]:
    """(member, None) for a label or code of `enum`; (None, problem) for anything else."""
    member = table.get(text) or table.get(fold(text))
    if member is not None:
        return member, None
    return None, _("「%(value)s」不是有效的%(column)s，可填：%(allowed)s。",
                   value=text[:40], column=column, allowed=allowed(enum))


def parse_date(value) -> date | None:
    """A date cell, a date written as text, or an Excel day number; None if it is none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:
        return from_excel(value).date()
    text = unicodedata.normalize("NFKC", cell_text(value))
    if "年" in text:
        text = "".join(text.split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def to_decimal(value) -> Decimal | None:
    """A number cell or a number written as text ('1,234.50', '¥1234.5') as an exact Decimal;
    None when blank; ValueError when it is not a number."""
    if value is None:
        return None
    if isinstance(value, bool | date):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(value)
        number = Decimal(repr(value))
        return EXCEL_DIGITS.plus(number) if len(number.as_tuple().digits) > 15 else number
    text = _GROUPING.sub("", unicodedata.normalize("NFKC", str(value)))
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(value) from error
    if not number.is_finite():
        raise ValueError(value)
    return number


def code(value) -> str:
    """A record number as compared: full/half width folded, no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", cell_text(value)).split()).upper()


class RowCells:
    """One row's cells ({column key: value}) read column by column; every problem is kept, each
    naming its column by the header the template uses."""

    def __init__(self, cells: dict, labels: dict[str, str]):
        self.cells, self.labels = cells, labels
        self.problems: list[str] = []

    def given(self, key: str) -> bool:
        """Whether the cell holds anything."""
        return bool(cell_text(self.cells.get(key)))

    def _blank(self, key: str, required: bool) -> None:
        if required:
            self.problems.append(_("请填写「%(column)s」。", column=self.labels[key]))

    def text(self, key: str, most: int, required: bool = False) -> str | None:
        """The cell as text (None when blank); refuses one longer than `most` characters."""
        text = cell_text(self.cells.get(key))
        if not text:
            self._blank(key, required)
            return None
        if len(text) > most:
            self.problems.append(_("「%(column)s」不能超过 %(max)d 个字。",
                                   column=self.labels[key], max=most))
        return text

    def choice(self, key: str, table: dict, enum, default=None):
        """The member the cell names (label in either language, or code); `default` if blank."""
        text = cell_text(self.cells.get(key))
        if not text:
            return default
        member, problem = lookup(table, enum, text, self.labels[key])
        if problem:
            self.problems.append(problem)
        return member

    def day(self, key: str, required: bool = False) -> date | None:
        """The cell as a date from 2000 on; None when blank."""
        raw = self.cells.get(key)
        day = parse_date(raw)
        if day is None and cell_text(raw):
            self.problems.append(_("「%(column)s」的「%(value)s」不是有效日期，"
                                   "请按 2026-01-15 的格式填写。",
                                   column=self.labels[key], value=cell_text(raw)[:40]))
        elif day is None:
            self._blank(key, required)
        elif day.year < 2000:
            self.problems.append(_("「%(column)s」不能早于 2000 年。", column=self.labels[key]))
        return day

    def number(self, key: str, places: int = 2, required: bool = False, positive: bool = False,
               maximum: Decimal = MAX_AMOUNT) -> Decimal | None:
        """The cell as an exact Decimal with at most `places` decimals, not negative (above
        zero when `positive`), at most `maximum`; None when blank or refused."""
        column, raw = self.labels[key], self.cells.get(key)
        try:
            value = to_decimal(raw)
        except ValueError:
            self.problems.append(_("「%(column)s」应填数字，「%(value)s」不是数字。",
                                   column=column, value=cell_text(raw)[:40]))
            return None
        if value is None:
            self._blank(key, required)
            return None
        problem = _number_problem(value, places, positive, maximum)
        if problem:
            self.problems.append(problem % {"column": column, "n": places})
            return None
        return value.quantize(Decimal(1).scaleb(-places))

    def priced(self) -> tuple[Decimal | None, Decimal | None]:
        """(数量, 单价) of a product row; refuses a typed 金额 that is not 数量 × 单价 (to the
        fen, rounded half up): amounts are computed, never taken as typed."""
        quantity = self.number("quantity", places=3, required=True, positive=True,
                               maximum=QUANTITY_MAX)
        price = self.number("unit_price", required=True)
        typed = self.number("amount")
        if quantity is None or price is None or typed is None:
            return quantity, price
        computed = line_amount(quantity, price)
        if typed != computed:
            self.problems.append(_("「%(column)s」%(typed)s 与 数量×单价 %(computed)s 不符：金额按"
                                   "数量×单价计算，请核对数量、单价或金额。",
                                   column=self.labels["amount"], typed=f"{typed:,.2f}",
                                   computed=f"{computed:,.2f}"))
        return quantity, price


def _number_problem(value: Decimal, places: int, positive: bool, maximum: Decimal) -> str | None:
    if value < 0 or (positive and value == 0):
        return _("「%(column)s」须大于零。") if positive else _("「%(column)s」不能为负数。")
    if value > maximum:
        return _("「%(column)s」数值过大，请核对。")
    if value != value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN):
        return _("「%(column)s」最多保留 %(n)d 位小数。")
    return None
