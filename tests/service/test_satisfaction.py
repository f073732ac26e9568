"""The one satisfaction scale (spec a9): 1–5 with its words, 1–10 scores as ⌈x/2⌉, the 004
survey's words, and the rate (share of answers ≥ 4)."""

from decimal import Decimal

import pytest

from app.services.service import satisfaction
from app.services.service.satisfaction import NotAScore, Satisfaction


def test_the_scale_names_its_five_levels(app):
    """5 非常满意, 4 满意, 3 一般, 2 不满意, 1 非常不满意 (the survey's missing fifth level)."""
    with app.test_request_context():
        assert [satisfaction.label(n) for n in (5, 4, 3, 2, 1)] == [
            "非常满意", "满意", "一般", "不满意", "非常不满意"]
        assert satisfaction.label(None) == ""
    assert [int(level) for level in Satisfaction] == [5, 4, 3, 2, 1]


@pytest.mark.parametrize(("ten", "five"), [
    (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (8, 4), (9, 5), (10, 5),
    ("7", 4), ("8分", 4), (Decimal("7.5"), 4), (9.0, 5)])
def test_a_ten_point_score_is_halved_and_rounded_up(ten, five):
    """001's 1–10 score becomes ⌈x/2⌉: 9 and 10 are 非常满意, 1 and 2 非常不满意."""
    assert satisfaction.from_ten(ten) == five
    assert satisfaction.parse(ten, scale=10) == five


@pytest.mark.parametrize("bad", [0, 11, -3, "十分", "", "abc", True, "10.5"])
def test_a_ten_point_score_out_of_range_is_refused(bad):
    """Anything but a number from 1 to 10 is not a 1–10 score (the import reports the row)."""
    with pytest.raises(NotAScore):
        satisfaction.from_ten(bad)


@pytest.mark.parametrize(("word", "score"), [
    ("非常满意", 5), ("满意", 4), ("一般", 3), ("不满意", 2), ("非常不满意", 1),
    (" 满意 ", 4), ("满意。", 4), ("Very satisfied", 5), ("Dissatisfied", 2)])
def test_the_survey_words_map_to_their_scores(word, score):
    """004's survey answer 「非常满意/满意/一般/不满意」 (and the fifth level) as scores."""
    assert satisfaction.from_word(word) == score
    assert satisfaction.parse(word) == score


@pytest.mark.parametrize(("cell", "score"), [
    (5, 5), ("3", 3), ("3分", 3), (4.0, 4), (None, None), ("  ", None)])
def test_an_imported_five_point_cell(cell, score):
    """A 1–5 cell: the number (with or without 分); a blank cell is no answer."""
    assert satisfaction.parse(cell) == score


@pytest.mark.parametrize("bad", [0, 6, "3.5", "很好", 10])
def test_an_imported_five_point_cell_out_of_the_scale_is_refused(bad):
    """No rounding on the 5-point scale: 3.5, 0, 6 and unknown words are refused."""
    with pytest.raises(NotAScore):
        satisfaction.parse(bad)


def test_the_rate_is_the_share_of_answers_of_four_or_five():
    """满意率 = answers ≥ 4 / answers, in percent with one decimal; none without answers."""
    scores = [5, 4, 3, 2, 1, 4]
    satisfied = sum(satisfaction.is_satisfied(s) for s in scores)
    assert satisfied == 3
    assert satisfaction.rate(satisfied, len(scores)) == Decimal("50.0")
    assert satisfaction.rate(2, 3) == Decimal("66.7")
    assert satisfaction.rate(0, 0) is None
    assert satisfaction.mean(14, 4) == Decimal("3.50")
    assert not satisfaction.is_satisfied(None)
