"""The import kit's one choice mechanism (app/services/imports/fields.py): a choice is found by
its label in either language, its code, a registered synonym or a shorter name derived from
its label, case- and width-insensitive with any brackets; a derived name that would fit two
members names neither; dates come in every common written form."""

from datetime import date

from app.models.base import Choice
from app.services.imports.fields import (
    add_synonyms,
    choice_table,
    derived_names,
    lookup,
    parse_date,
)


class Tier(Choice):
    GOLD = ("gold", "金牌(重点)")
    SILVER = ("silver", "银牌客户")
    BRONZE = ("bronze", "铜牌类(重点)")


def _find(text: str):
    return lookup(choice_table(Tier), Tier, text, "级别")


def test_names_derived_from_a_label():
    assert derived_names("A类(重点)") == {"a类", "重点", "a", "a类客户"}
    assert derived_names("意向客户") == {"意向"}


def test_labels_codes_and_derived_names_any_case_width_and_bracket(app):
    with app.test_request_context():
        for text in ("金牌(重点)", "金牌（重点）", "金牌【重点】", "GOLD", "ｇｏｌｄ", "金牌"):
            assert _find(text)[0] == Tier.GOLD, text
        assert _find("银牌")[0] == Tier.SILVER


def test_a_derived_name_of_two_members_names_neither(app):
    with app.test_request_context():
        member, problem = _find("重点")
        assert member is None and "「重点」不是有效的级别" in problem


def test_registered_synonyms_are_accepted(app):
    add_synonyms(Tier, {Tier.BRONZE: ("第三档",)})
    with app.test_request_context():
        assert _find("第 三 档")[0] == Tier.BRONZE


def test_dates_in_every_common_form():
    for text in ("2026/1/15", "2026.1.15", "2026年1月15日", "2026 年 1 月 15 日", "2026-01-15",
                 "２０２６-01-15", "2026-01-15 00:00:00", 46037):
        assert parse_date(text) == date(2026, 1, 15), text
    assert parse_date("15/1/2026") is None
