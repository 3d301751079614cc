"""A horizontal bar chart as SVG text: one labelled bar per item, linking to its page.

Plain SVG as the maps and the timeline are (`svg`); horizontal bars so that long labels (city
names, conference titles) stay readable without rotation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .svg import id_prefix, link, num, svg_open, title_desc


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and the page it links to (none for a plain label)."""

    label: str
    value: float
    shown: str  # the value as the result gave it (e.g. "12", "3.5")
    href: str = ""


_ROW = 22.0  # height of one bar's row
_LABEL_CHARS = 32  # labels longer than this are cut (the whole label stays in the tooltip)
_CHAR = 6.6  # a generous average advance per character at 12 px


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"


def _ticks(low: float, high: float) -> list[float]:
    """Round values for about five grid lines between `low` and `high`."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = step * math.floor(low / step)
    ticks, v = [], first
    while v <= high + step * 1e-9:
        if v >= low - step * 1e-9:
            ticks.append(round(v, 6))
        v += step
    return ticks


def _tick_text(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:g}"


def bar_chart_svg(
    bars: Iterable[Bar], *, title: str, description: str, axis_label: str, width: int = 960
) -> str:
    """The bars in the given order, from a zero baseline (negative values go left of it), with a
    value axis of round numbers named `axis_label`; each bar's value is written at its end."""
    bars = list(bars)
    prefix = id_prefix("bars", title, description, width, [(b.label, b.value) for b in bars])
    longest = max([len(axis_label), *(len(_short(b.label)) for b in bars)])
    left = min(width * 0.4, 16 + longest * _CHAR)
    right_pad = 56.0
    top = 30.0
    plot = width - left - right_pad
    low = min([0.0, *(b.value for b in bars)])
    high = max([0.0, *(b.value for b in bars)])
    if high == low:
        high = low + 1
    ticks = _ticks(low, high)
    high = max(high, ticks[-1])
    low = min(low, ticks[0])

    def x_of(v: float) -> float:
        return left + plot * (v - low) / (high - low)

    height = top + len(bars) * _ROW + 12
    out = [svg_open(prefix, width, height, "rivm-bars")]
    out.append(title_desc(prefix, title, description))
    out.append('<g class="rivm-bars-axis" fill="#555555" font-size="11">')
    out.append(
        f'<text x="{num(left - 8)}" y="{num(top - 9)}" text-anchor="end" font-size="12"'
        f' fill="#333333">{escape(axis_label)}</text>'
    )
    for v in ticks:
        x = num(x_of(v))
        out.append(
            f'<line x1="{x}" y1="{num(top - 6)}" x2="{x}" y2="{num(height - 8)}"'
            ' stroke="#dddddd" stroke-width="1"/>'
        )
        out.append(f'<text x="{x}" y="{num(top - 9)}" text-anchor="middle">{_tick_text(v)}</text>')
    out.append("</g>")
    zero = x_of(0.0)
    for i, b in enumerate(bars):
        y = top + i * _ROW
        x0, x1 = sorted((zero, x_of(b.value)))
        parts = [
            f"<title>{escape(b.label)}: {escape(b.shown)}</title>",
            f'<text x="{num(left - 8)}" y="{num(y + 15)}" text-anchor="end" font-size="12"'
            f' fill="#1a1a1a">{escape(_short(b.label))}</text>',
            f'<rect x="{num(x0)}" y="{num(y + 4)}" width="{num(max(x1 - x0, 0.5))}"'
            f' height="{num(_ROW - 8)}" fill="#4a6f8a"/>',
            f'<text x="{num(x1 + 4)}" y="{num(y + 15)}" font-size="11"'
            f' fill="#333333">{escape(b.shown)}</text>',
        ]
        out.append(link(b.href, "".join(parts), "rivm-bar"))
    out.append(
        f'<line x1="{num(zero)}" y1="{num(top - 6)}" x2="{num(zero)}" y2="{num(height - 8)}"'
        ' stroke="#555555" stroke-width="1.2"/>'
    )
    out.append("</svg>")
    return "".join(out)
