"""Every user-facing string goes through Babel, Chinese is the default, English is complete."""

import os
import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from tests.factories.people import make_user

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
CATALOGUE = os.path.join(ROOT, "app", "translations", "en", "LC_MESSAGES", "messages.po")


def _source_messages(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--ignore-dirs", ".*",
                    "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def test_the_english_catalogue_translates_every_string_in_the_code(tmp_path):
    with open(CATALOGUE, "rb") as fh:
        catalogue = read_po(fh)
    translated = {(m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue
                  if m.id and m.string and (m.string if isinstance(m.string, str) else m.string[0])
                  and not m.fuzzy}
    missing = _source_messages(tmp_path) - translated
    assert missing == set(), "run `make i18n-update` and translate these in en/messages.po"


@pytest.fixture
def english_user(app):
    return make_user(app, "sales_en", locale="en")


def test_chinese_is_the_default_interface_language(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    html = client.get("/customers/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and "客户档案" in html


def test_a_user_who_prefers_english_gets_english_pages(client, english_user):
    client.login("sales_en")
    html = client.get("/customers/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "客户档案" not in html and "登记新客户" not in html


def test_the_language_can_be_switched_from_the_menu(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    client.post_form("/preferences/locale", {"locale": "en", "next": "/customers/"})
    assert '<html lang="en">' in client.get("/customers/").get_data(as_text=True)


def test_error_pages_speak_the_users_language(client, english_user):
    client.login("sales_en")
    html = client.get("/customers/99999").get_data(as_text=True)
    assert "页面不存在" not in html


# Chinese punctuation (the CJK block and the full-width forms) and the curly quotes and ellipsis
# that come along with it when a translation starts from the Chinese text.
_CHINESE_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40"
                                  r"\uff5b-\uff65\u201c\u201d\u2018\u2019\u2026]")


def _english_strings(entry) -> list[str]:
    return [entry.string] if isinstance(entry.string, str) else list(entry.string)


def test_english_translations_use_ascii_punctuation():
    """English text uses ASCII punctuation: no ，。：；（）！？、「」 nor curly quotes or …"""
    with open(CATALOGUE, "rb") as fh:
        catalogue = read_po(fh)
    offending = [text for entry in catalogue if entry.id for text in _english_strings(entry)
                 if _CHINESE_PUNCTUATION.search(text or "")]
    assert offending == []


def test_the_punctuation_check_catches_chinese_punctuation():
    """The pattern above flags what it is meant to (so the catalogue test can fail)."""
    for text in ("Saved。", "Name：", "(a，b)", "（x）", "Really？", "“x”", "Loading…", "a、b"):
        assert _CHINESE_PUNCTUATION.search(text), text
    assert not _CHINESE_PUNCTUATION.search('Saved. Name: (a, b) "x" Loading... 1–30 ¥5 → a·b')
