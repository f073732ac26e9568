"""How a phone is masked everywhere it is shown (app/services/core/pii.py): the first three and
the last four digits stay (whatever country code or extension they belong to), every digit
between becomes *, other characters stay; fewer than eight digits are masked whole."""

import pytest

from app.services.core.pii import mask_phone


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812345678", "138****5678"),
    ("010-12345678", "010-****5678"),
    ("0571 8888 6666", "057* **** 6666"),
    ("+86 138 1234 5678", "+86 1** **** 5678"),
    ("(021)6543-2109 转 8", "(021)****-*109 转 8"),
    ("１３８１２３４５６７８", "１３８****５６７８"),
    ("1234567", "*******"),
    ("12-34-56-7x", "***********"),
    ("12345678", "123*5678"),
    ("", ""),
    (None, ""),
])
def test_a_phone_keeps_its_first_three_and_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked
