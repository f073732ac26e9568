"""The font PDFs embed (app/services/core/pdf_font.py) is the system's WenQuanYi Micro Hei with its
glyphs reordered: every character keeps its glyph and advance, everyday ones come first."""

import pytest
from fontTools.ttLib import TTFont

from app.services.core import pdf_font


@pytest.fixture(scope="module")
def fonts():
    if not pdf_font.SOURCE.is_file() or not pdf_font.TARGET.is_file():
        pytest.skip("the system font or its reordered copy is not installed")
    return (TTFont(str(pdf_font.SOURCE), fontNumber=0, lazy=True),
            TTFont(str(pdf_font.TARGET), lazy=True))


def test_every_character_of_the_system_font_keeps_its_glyph_and_advance(fonts):
    """Rule: reordering loses no character (glyph coverage) and changes no horizontal metric."""
    system, copy = fonts
    system_map, copy_map = system.getBestCmap(), copy.getBestCmap()
    assert copy_map.keys() == system_map.keys()
    system_advance, copy_advance = system["hmtx"], copy["hmtx"]
    assert all(copy_advance[copy_map[code]] == system_advance[glyph]
               for code, glyph in system_map.items())
    for character in "中堃■□：¥A":  # the outline itself, for a few characters of every kind
        code = ord(character)
        assert (copy["glyf"][copy_map[code]].getCoordinates(copy["glyf"])[0]
                == system["glyf"][system_map[code]].getCoordinates(system["glyf"])[0])


def test_everyday_characters_have_the_first_glyph_ids(fonts):
    """Rule: ASCII, GB 2312's symbols (the forms' ■ □) and its level-1 characters come before
    any other glyph, so a subset's glyph-id tables stay short."""
    _, copy = fonts
    ids = {name: number for number, name in enumerate(copy.getGlyphOrder())}
    cmap = copy.getBestCmap()
    everyday = max(ids[cmap[ord(c)]] for c in "A：■□中座" if ord(c) in cmap)
    assert everyday < 5000
    assert ids[cmap[ord("堃")]] > 5000  # outside GB 2312: after them
    assert "vmtx" not in copy  # vertical metrics are never printed
