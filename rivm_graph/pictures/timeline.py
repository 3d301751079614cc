"""A timeline of the network's events as SVG text, with their reported attendance.

Plain SVG as the maps are (`svg`): each event links to its page, and labels are stacked on as
many rows as needed so that none overlaps another.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, SupportsFloat, SupportsIndex
from xml.sax.saxutils import escape

from .svg import id_prefix, link, num, svg_open, title_desc


class Attendance(NamedTuple):
    """One reported attendance figure: the value, what is counted, and who reported it."""

    value: object  # int, Decimal, float or str
    quantity: str  # e.g. "cities"
    source: str  # e.g. "Agence C3M"


@dataclass(frozen=True)
class TimelineEvent:
    """An event on the timeline; `figures` holds (value, quantity label, source label) triples."""

    iri: str
    label: str
    date: dt.date
    href: str
    kind: str = "event"  # "conference" is drawn prominently
    figures: Sequence[tuple[object, str, str]] = field(default_factory=tuple)


def _format_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")  # narrow no-break space between thousands
    if isinstance(value, Decimal | float):
        try:
            if value == int(value):
                return _format_value(int(value))
        except (OverflowError, ValueError):
            pass
        return str(value)
    return str(value)


def _sort_key(value: object) -> tuple[int, float, str]:
    if isinstance(value, str | SupportsFloat | SupportsIndex):
        with contextlib.suppress(TypeError, ValueError):
            return (0, float(value), "")
    return (1, 0.0, str(value))


def _figure_groups(figures: Sequence[tuple[object, str, str]]) -> list[list[Attendance]]:
    """Figures grouped by what they count (in first-seen order), each group by value."""
    groups: dict[str, list[Attendance]] = {}
    for value, quantity, source in figures:
        groups.setdefault(quantity, []).append(Attendance(value, quantity, source))
    return [sorted(g, key=lambda a: _sort_key(a.value)) for g in groups.values()]


def _figure_note(a: Attendance) -> str:
    note = f"{_format_value(a.value)} {a.quantity}"
    return f"{note} ({a.source})" if a.source else note


def _figures_text(group: list[Attendance]) -> str:
    return " / ".join(_format_value(a.value) for a in group) + " " + group[0].quantity


@dataclass(frozen=True)
class _Style:
    font: float
    line: float
    char: float  # a generous average advance per character, to keep labels apart
    weight: str


_STYLES = {
    "conference": _Style(font=12.5, line=15.0, char=7.6, weight="700"),
    "event": _Style(font=11.0, line=13.5, char=6.5, weight="400"),
}


@dataclass
class _Block:
    event: TimelineEvent
    cls: str
    x: float
    lines: list[str]
    groups: list[list[Attendance]]
    width: float
    height: float
    left: float = 0.0
    level: int = 0
    top: float = 0.0


def _stack(blocks: list[_Block], gap: float) -> list[float]:
    """Put each block on the first row where it overlaps no other; return each row's height."""
    rows: list[list[tuple[float, float]]] = []
    heights: list[float] = []
    for b in blocks:
        lo, hi = b.left - gap, b.left + b.width + gap
        for i, row in enumerate(rows):
            if all(hi <= a or lo >= c for a, c in row):
                b.level = i
                break
        else:
            rows.append([])
            heights.append(0.0)
            b.level = len(rows) - 1
        rows[b.level].append((lo, hi))
        heights[b.level] = max(heights[b.level], b.height)
    return heights


def _offsets(heights: list[float], gap: float) -> list[float]:
    offsets, total = [], 0.0
    for h in heights:
        offsets.append(total)
        total += h + gap
    return offsets


def _year_step(px_per_year: float) -> int:
    """Label every year if there is room, else every 2, 5, 10… years."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if px_per_year * step >= 44:
            return step
    return 1000


def timeline_svg(
    events: Iterable[TimelineEvent],
    *,
    title: str,
    description: str,
    width: int = 960,
    wrap_at: int = 26,
) -> str:
    """The events on a horizontal time axis, as SVG text.

    Conferences sit above the axis, larger; other events below. Each event links to its page,
    with its label wrapped at `wrap_at` characters and its reported attendance under it: the
    figures for one quantity side by side ("34 / 40 / 44 cities"), each with its source in a
    tooltip. Labels are stacked on as many rows as needed so that none overlaps another; the
    height follows.
    """
    events = sorted(events, key=lambda e: (e.date, e.label))
    prefix = id_prefix("timeline", title, description, width, [(e.iri, e.date) for e in events])
    margin, gap = 12.0, 8.0
    if events:
        first, last = events[0].date.year, events[-1].date.year + 1
    else:
        first = dt.date.today().year
        last = first + 1
    start = dt.date(first, 1, 1)
    span_days = (dt.date(last, 1, 1) - start).days
    usable = width - 2 * margin

    def x_of(d: dt.date) -> float:
        return margin + usable * (d - start).days / span_days

    blocks: dict[str, list[_Block]] = {"conference": [], "event": []}
    for e in events:
        cls = "conference" if e.kind == "conference" else "event"
        style = _STYLES[cls]
        lines = textwrap.wrap(e.label, wrap_at) or [""]
        groups = _figure_groups(e.figures)
        texts = lines + [_figures_text(g) for g in groups]
        w = min(usable, max(len(t) for t in texts) * style.char)
        b = _Block(e, cls, x_of(e.date), lines, groups, w, len(texts) * style.line)
        b.left = min(max(b.x - w / 2, margin), width - margin - w)
        blocks[cls].append(b)

    above = _stack(blocks["conference"], gap)
    below = _stack(blocks["event"], gap)
    axis_y = 6 + sum(h + gap for h in above) + 14
    below_top = axis_y + 34
    height = below_top + sum(h + gap for h in below) + 2
    up, down = _offsets(above, gap), _offsets(below, gap)
    for b in blocks["conference"]:  # top of each block
        b_bottom = axis_y - 16 - up[b.level]
        b.top = b_bottom - b.height
    for b in blocks["event"]:
        b.top = below_top + down[b.level]

    out = [svg_open(prefix, width, height, "rivm-timeline")]
    out.append(title_desc(prefix, title, description))

    # the axis: a tick at each 1 January, the year's label in the middle of its span
    step = _year_step(usable / (last - first))
    out.append('<g class="rivm-timeline-axis" stroke="#555555" fill="#555555">')
    out.append(
        f'<line x1="{num(margin)}" y1="{num(axis_y)}" x2="{num(width - margin)}"'
        f' y2="{num(axis_y)}" stroke-width="2"/>'
    )
    for year in range(first, last + 1):
        tx = x_of(dt.date(year, 1, 1))
        tick = 5 if year % step == 0 or step == 1 else 2.5
        out.append(
            f'<line x1="{num(tx)}" y1="{num(axis_y - tick)}" x2="{num(tx)}"'
            f' y2="{num(axis_y + tick)}" stroke-width="1"/>'
        )
        if year < last and year % step == 0:
            mid = x_of(dt.date(year, 7, 2)) if step == 1 else tx
            out.append(
                f'<text x="{num(mid)}" y="{num(axis_y + 19)}" text-anchor="middle"'
                f' font-size="12" stroke="none">{year}</text>'
            )
    out.append("</g>")

    # leader lines first, under everything; then each event (marker and text) as one link
    out.append('<g class="rivm-timeline-leaders" stroke="#b5b5b5" stroke-width="1">')
    for b in blocks["conference"]:
        y_to = b.top + b.height
        out.append(_vline(b.x, axis_y - 7, y_to))
    for b in blocks["event"]:
        out.append(_vline(b.x, axis_y + 4, b.top - 2))
    out.append("</g>")
    for cls in ("event", "conference"):
        for b in blocks[cls]:
            out.append(_event_svg(b, axis_y, width, margin))
    out.append("</svg>")
    return "".join(out)


def _vline(x: float, y1: float, y2: float) -> str:
    return f'<line x1="{num(x)}" y1="{num(y1)}" x2="{num(x)}" y2="{num(y2)}"/>'


def _event_svg(b: _Block, axis_y: float, width: float, margin: float) -> str:
    e, style = b.event, _STYLES[b.cls]
    if b.cls == "conference":
        marker = (
            f'<circle cx="{num(b.x)}" cy="{num(axis_y)}" r="7" fill="#b3261e"'
            ' stroke="#ffffff" stroke-width="2"/>'
        )
        colour = "#1a1a1a"
    else:
        marker = (
            f'<circle cx="{num(b.x)}" cy="{num(axis_y)}" r="4" fill="#4a6f8a"'
            ' stroke="#ffffff" stroke-width="1.5"/>'
        )
        colour = "#333333"
    # anchor the text where it cannot run off the picture whatever the real glyph widths
    if b.left <= margin + 0.5:
        anchor, tx = "start", margin
    elif b.left + b.width >= width - margin - 0.5:
        anchor, tx = "end", width - margin
    else:
        anchor, tx = "middle", b.left + b.width / 2
    halo = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    text_attrs = f' x="{num(tx)}" text-anchor="{anchor}" font-size="{num(style.font)}"{halo}'

    tooltip = "\n".join([e.label, *("; ".join(_figure_note(a) for a in g) for g in b.groups)])
    parts = [f"<title>{escape(tooltip)}</title>", marker]
    y = b.top + style.line - 3
    lines = "".join(
        f'<tspan x="{num(tx)}" y="{num(y + i * style.line)}">{escape(t)}</tspan>'
        for i, t in enumerate(b.lines)
    )
    weight = f' font-weight="{style.weight}"' if style.weight != "400" else ""
    parts.append(
        f'<text class="rivm-timeline-label" fill="{colour}"{weight}{text_attrs}>{lines}</text>'
    )
    y += len(b.lines) * style.line
    for g in b.groups:
        spans = "".join(
            f"{' / ' if i else ''}<tspan>{escape(_format_value(a.value))}"
            f"<title>{escape(_figure_note(a))}</title></tspan>"
            for i, a in enumerate(g)
        )
        parts.append(
            f'<text class="rivm-timeline-figures" y="{num(y)}" fill="#7a4a00" font-weight="700"'
            f"{text_attrs}>{spans} {escape(g[0].quantity)}</text>"
        )
        y += style.line
    return link(e.href, "".join(parts), f"rivm-timeline-event rivm-timeline-{b.cls}")
