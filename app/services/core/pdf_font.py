"""The font PDFs embed: WenQuanYi Micro Hei with the glyphs of everyday Chinese text first.

WeasyPrint keeps a font's glyph ids when it embeds a subset, so a page using glyph 34443 (the
system font's full-width colon) embeds glyph tables 34,444 entries long: some 380 KB that every
print subsets and compresses again (a sixth of the time of a one-page form, see bench/pdf.py).
This copy orders ASCII, punctuation, GB 2312's symbols (the forms' ■ and □ among them) and its
6,763 characters first, level 1 (the 3,755 most used) before level 2, then every other glyph as
before: the same glyphs and horizontal metrics, and ordinary pages stay under glyph ~4,500. The
vertical metrics (vhea, vmtx) are left out: nothing is printed in vertical writing, and they
were a quarter of every embedded subset (one more table of glyph-id length to subset and
compress on every print).

Regenerate (Debian package fonts-wqy-microhei): python -m app.services.core.pdf_font
"""

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
TARGET = Path(__file__).resolve().parents[2] / "static" / "fonts" / "wqy-microhei-gb.ttf"
# ASCII, Latin-1, general punctuation, CJK symbols and punctuation, full-width forms.
COMMON_RANGES = ((0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x3000, 0x3040),
                 (0xFF00, 0xFFF0))
HANZI = range(0x4E00, 0xA000)
VERTICAL_METRICS = ("vhea", "vmtx")


def _gb2312(code: int) -> bytes | None:
    """The character's GB 2312 bytes, None when GB 2312 lacks it."""
    try:
        return chr(code).encode("gb2312")
    except UnicodeEncodeError:
        return None


def gb2312_symbols() -> list[int]:
    """GB 2312's other characters (its rows 1-9: signs, Greek, Cyrillic, kana, box drawing,
    geometric shapes such as the forms' ■ and □), in code point order."""
    return [code for code in range(0x80, 0xD800) if code not in HANZI and _gb2312(code)]


def gb2312_hanzi() -> list[int]:
    """GB 2312's characters in its own order: level 1 (the 3,755 most used), then level 2."""
    coded = [(_gb2312(code), code) for code in HANZI]
    return [code for _, code in sorted(item for item in coded if item[0])]


def glyph_order(font: TTFont) -> list[str]:
    """.notdef, then the glyphs of common characters, then all others in their old order."""
    cmap, old = font.getBestCmap(), font.getGlyphOrder()
    common = ([c for start, end in COMMON_RANGES for c in range(start, end)]
              + gb2312_symbols() + gb2312_hanzi())
    order = dict.fromkeys([old[0]] + [cmap[c] for c in common if c in cmap])
    order.update(dict.fromkeys(old))
    return list(order)


def _sort_kerning(font: TTFont) -> None:
    """Pair-kerning lookups are searched by glyph id: keep them sorted in the new order."""
    gid = font.getGlyphID
    for lookup in font["GPOS"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            if lookup.LookupType == 2 and table.Format == 1:
                pairs = sorted(zip(table.Coverage.glyphs, table.PairSet, strict=True),
                               key=lambda pair: gid(pair[0]))
                table.Coverage.glyphs = [glyph for glyph, _ in pairs]
                table.PairSet = [pair_set for _, pair_set in pairs]
                for pair_set in table.PairSet:
                    pair_set.PairValueRecord.sort(key=lambda record: gid(record.SecondGlyph))


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    """Writes the reordered copy of the system font (about 10 s), replacing the old one in one
    step (a print meanwhile reads either file whole)."""
    font = TTFont(str(source), fontNumber=0, recalcTimestamp=False)  # the same bytes every build
    for tag in VERTICAL_METRICS:
        del font[tag]
    font.ensureDecompiled()  # every table keeps its glyphs by name while the ids change
    order = glyph_order(font)
    font.setGlyphOrder(order)
    font["glyf"].glyphOrder = order
    _sort_kerning(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    font.save(str(partial))
    partial.replace(target)
    return target


if __name__ == "__main__":
    print(build(*(Path(arg) for arg in sys.argv[1:3])))
