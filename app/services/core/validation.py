"""Field rules shared by forms and imports: phone numbers and PRC resident ID numbers."""

import re
from datetime import date

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "").replace("—", "-")


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
