"""Text reads at 4.5:1 or more against its background (WCAG 2.1 AA, 1.4.3): the ratios are
computed from the colours app.css gives the badges and the top navigation."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "app" / "static" / "css" / "app.css"
AA = 4.5
BADGE_TEXT = "#ffffff"  # Bootstrap's badge text, unless the rule sets its own colour
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DECLARATION = re.compile(r"(--[\w-]+|[\w-]+)\s*:\s*(#[0-9a-fA-F]{6})\b")


def _rules() -> dict[str, dict[str, str]]:
    """{selector: {property: hex colour}} of app.css (comments removed)."""
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    return {" ".join(selector.split()): dict(_DECLARATION.findall(body))
            for selector, body in _RULE.findall(text)}


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_ratio_is_computed_as_wcag_defines_it():
    """Known values: black on white is 21:1, Bootstrap's orange with white text 2.57:1 (the
    former 审批中 badge, which failed)."""
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#fd7e14") == pytest.approx(2.57, abs=0.01)


def _badges() -> list[tuple[str, str, str]]:
    return [(selector, props.get("color", BADGE_TEXT), props["background"])
            for selector, props in _rules().items()
            if ".badge" in selector and "background" in props]


def test_every_badge_colour_reads_at_aa():
    """Status, grade and level badges (审批中 included) keep their text at 4.5:1 or more."""
    badges = _badges()
    assert any("status-submitted" in selector for selector, *_ in badges)
    weak = {selector: round(contrast(fg, bg), 2) for selector, fg, bg in badges
            if contrast(fg, bg) < AA}
    assert weak == {}


def test_the_top_navigation_reads_at_aa():
    """Inactive nav links, the brand and the user menu's department and role on the bar."""
    rules = _rules()
    bar = rules[".navbar.bg-primary"]["background-color"]
    navbar = rules[".navbar.navbar-dark"]
    texts = {name: navbar[name] for name in ("--bs-navbar-color", "--bs-navbar-active-color",
                                             "--bs-navbar-brand-color")}
    texts["nav-note"] = rules[".navbar .nav-note"]["color"]
    weak = {name: round(contrast(fg, bar), 2) for name, fg in texts.items()
            if contrast(fg, bar) < AA}
    assert weak == {}
