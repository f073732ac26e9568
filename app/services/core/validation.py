"""Field rules shared by forms and imports: blank values, phone numbers and PRC resident ID
numbers."""

import re
import unicodedata
from datetime import date

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# A landline as normalize_phone writes it: 010 and 020–029 are the three-digit area codes.
_LANDLINE = re.compile(r"^0(?:[12]\d|[3-9]\d{2})-\d{7,8}(?:-\d{1,6})?$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Characters that show nothing: a value made only of these and spaces (U+3000 included) is blank.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), " ")
# What people put between a phone's digits: spaces, dashes of every width, brackets, dots.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−()（）\[\]【】.·]")
_EXTENSION = re.compile(r"^(?P<main>.+?)\s*(?:转|分机|ext\.?|x|#)\s*(?P<ext>\d{1,6})$", re.I)
_COUNTRY = re.compile(r"^(?:\+86|0086)")


def is_blank(value) -> bool:
    """Nothing but spaces (half or full width, tabs, line breaks) and invisible characters."""
    return value is None or (isinstance(value, str) and not value.translate(_INVISIBLE).strip())


def normalize_phone(value: str | None) -> str:
    """One form of a phone as typed (+86 / 0086, full-width digits, spaces, dashes, brackets):
    a mobile as its 11 digits (13800138000), a landline as area code-number[-extension]
    (010-12345678). A value that is neither comes back only cleaned, for is_valid_phone to
    refuse."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return ""
    whole = _canonical(text, "")
    if whole:
        return whole
    extension = _EXTENSION.match(text) or re.match(r"^(?P<main>.+)-(?P<ext>\d{1,6})$", text)
    if extension:
        with_extension = _canonical(extension["main"], extension["ext"])
        if with_extension:
            return with_extension
    return _SEPARATORS.sub("", text)


def _canonical(text: str, extension: str) -> str | None:
    """The canonical phone `text` (+ `extension`) reads as, or None."""
    digits = _SEPARATORS.sub("", text)
    international = bool(_COUNTRY.match(digits))
    digits = _COUNTRY.sub("", digits)
    if not digits.isascii() or not digits.isdigit():
        return None
    if international and not digits.startswith("0") and not _MOBILE.match(digits):
        digits = "0" + digits  # an area code written after +86 drops its trunk 0
    if digits.startswith("0") and _MOBILE.match(digits[1:]):
        digits = digits[1:]  # a mobile dialled with the long-distance 0 (013800138000)
    if _MOBILE.match(digits):
        return None if extension else digits
    if not digits.startswith("0") or digits[1:2] in ("", "0"):  # "0", "0-1": no area code
        return None
    area = 3 if digits[1] in "12" else 4  # 010 and 020–029 are the three-digit area codes
    number = digits[area:]
    if not 7 <= len(number) <= 8:
        return None
    return f"{digits[:area]}-{number}" + (f"-{extension}" if extension else "")


def is_valid_phone(value: str) -> bool:
    """A mainland mobile number (11 digits) or a landline with area code (010-12345678)."""
    phone = normalize_phone(value)
    return bool(_MOBILE.match(phone) or _LANDLINE.match(phone))


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number_problem(value: str) -> str | None:
    """Why an 18-character resident ID number (GB 11643) is invalid, or None."""
    number = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "format"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "birthdate"
    if born > date.today() or born.year < 1900:
        return "birthdate"
    if id_check_digit(number[:17]) != number[17]:
        return "checksum"
    return None
