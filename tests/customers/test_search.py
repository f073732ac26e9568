"""Search finds Chinese substrings of 1, 2 and 3+ characters in name, number and contact."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Customer
from app.services.core.search import index_tokens, match
from tests.factories.customers import make_customer
from tests.factories.people import make_user

NAMES = {
    "hx": ("华信科技有限公司", "张三"),
    "hw": ("华为技术有限公司", "李四"),
    "xh": ("新华书店有限公司", "王五"),
    "mx": ("明星文化传媒有限公司", "赵信华"),
    "pct": ("百分之百_测试%有限公司", "钱六"),
}


@pytest.fixture
def found(app):
    owner = make_user(app, "sales1")
    made = {key: make_customer(app, owner, name=name, contact_name=contact)
            for key, (name, contact) in NAMES.items()}

    def search(q: str) -> set[str]:
        with app.app_context():
            rows = db.session.scalars(select(Customer).where(match(Customer, q))).all()
            return {key for key, c in made.items() if c.id in {r.id for r in rows}}

    search.made = made
    return search


@pytest.mark.parametrize("q, keys", [
    ("华", {"hx", "hw", "xh", "mx"}),  # one character, also in a contact's name
    ("华信", {"hx"}),  # two characters: 赵信华 has both characters, not the pair
    ("信华", {"mx"}),  # only the contact
    ("华信科", {"hx"}),  # three characters
    ("为技术有", {"hw"}),
    ("新华 书店", {"xh"}),  # terms are ANDed
    ("有限公司", {"hx", "hw", "xh", "mx", "pct"}),
    ("科华", set()),  # characters present but not adjacent
    ("_测试%", {"pct"}),  # LIKE wildcards are literal
    ("%", set()),
])
def test_substring_search(found, q, keys):
    assert found(q) == keys


def test_number_prefixes_match(found):
    number = found.made["hw"].number  # e.g. 2026-TECH-002
    assert "hw" in found(number)
    assert found(number[:-1]) >= {"hw"}


def test_search_tokens_are_characters_pairs_and_ascii_words():
    assert index_tokens("华信A1") == ["a1", "信", "华", "华信"]
    assert index_tokens("2026-TECH-001") == ["001", "2026", "tech"]


def test_an_empty_query_does_not_filter():
    assert match(Customer, "  ") is None
