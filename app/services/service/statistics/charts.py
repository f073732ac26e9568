"""Charts drawn on the server as inline SVG: no script, no chart library, nothing fetched, so
the page, the PDF (WeasyPrint draws SVG) and a printout show the same picture. Horizontal bars
only: the figures are a handful of categories, and a bar's label and value read left to right
in Chinese as in English. Every text is escaped; the chart has a <title> for screen readers."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 560
LABEL_WIDTH = 150
VALUE_WIDTH = 70
BAR_HEIGHT = 18
GAP = 8
TOP = 6
FONT = "'WenQuanYi Micro Hei GB', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif"
COLOURS = ("#2f6db5", "#4c9a6a", "#d08a2e", "#8a5bb0", "#c2504b", "#5b8e9e")


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | None  # None: no figure (drawn as —)
    shown: str | None = None  # the value as printed, when not the plain number


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 11) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'dominant-baseline="middle">{escape(text)}</text>')


def bar_chart(title: str, bars: list[Bar], maximum: Decimal | int | None = None,
              chart_id: str = "") -> Markup:
    """A horizontal bar chart of `bars`, scaled to `maximum` (the largest value unless given,
    e.g. 100 for percentages); an empty chart says nothing to show rather than drawing zeros."""
    top = max([b.value for b in bars if b.value is not None] + [0])
    scale = maximum or top or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + GAP)
    named = f'id="{escape(chart_id)}" ' if chart_id else ""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" {named}'
             f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
             f'font-family="{FONT}"><title>{escape(title)}</title>']
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        middle = y + BAR_HEIGHT / 2
        parts.append(_text(LABEL_WIDTH - 6, middle, bar.label, "end"))
        length = 0 if bar.value is None else span * float(bar.value) / float(scale)
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(length, 0):.1f}" '
                     f'height="{BAR_HEIGHT}" fill="{COLOURS[index % len(COLOURS)]}"/>')
        shown = bar.shown if bar.shown is not None else (
            "—" if bar.value is None else f"{bar.value}")
        parts.append(_text(LABEL_WIDTH + length + 4, middle, shown))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 — every text in it went through escape()


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def figure_charts(figures) -> dict[str, Markup]:
    """The charts of a period's figures: 服务次数 by type, 售后 by kind, 满意率 by type."""
    by_type = [Bar(str(kind.label), tally.count) for kind, tally in figures.by_type.items()]
    by_kind = [Bar(str(kind.label) if kind else _("未分类"), tally.count)
               for kind, tally in figures.by_kind.items() if kind or tally.count]
    rates = [Bar(str(kind.label), tally.satisfaction_rate, _percent(tally.satisfaction_rate))
             for kind, tally in figures.by_type.items()]
    return {"types": bar_chart(_("按服务类型的服务次数"), by_type, chart_id="chart-types"),
            "kinds": bar_chart(_("售后维护按类别的服务次数"), by_kind, chart_id="chart-kinds"),
            "satisfaction": bar_chart(_("按服务类型的满意率"), rates, maximum=100,
                                      chart_id="chart-satisfaction")}
