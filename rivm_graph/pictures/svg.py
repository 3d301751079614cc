"""SVG primitives shared by the maps and the timeline.

Every picture is plain SVG: a named group (`role="group"`, not `img`: its links are interactive
content, which an image may not hold) with a `<title>` and a `<desc>` named by `aria-labelledby`,
links out of the Tab order (`tabindex="-1"`: the page lists the same links as text, so the
keyboard does not stop at every marker), a `viewBox` so it scales, presentation attributes and
classes (no `style` attribute, no script, no event handler, no external reference), and every
label escaped. Ids inside a picture start with a prefix derived from its content, so several
pictures can share a page. The pictures do not use Flask.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"


def num(v: float) -> str:
    """A coordinate with at most one decimal, as short as possible."""
    text = f"{round(v, 1):.1f}".rstrip("0").rstrip(".")
    if text in ("", "-0"):
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def _tenths(t: int) -> str:
    return num(t / 10)


def _pair(a: str, b: str) -> str:
    return a + ("" if b.startswith("-") else ",") + b


def path_data(rings: Iterable[Sequence[tuple[float, float]]]) -> str:
    """SVG path data: an absolute move to each ring's start, then relative line steps, in tenths
    of a unit (so rounding never accumulates); repeated points after rounding are dropped."""
    parts = []
    for ring in rings:
        pts: list[tuple[int, int]] = []
        for x, y in ring:
            p = (round(x * 10), round(y * 10))
            if not pts or p != pts[-1]:
                pts.append(p)
        if len(pts) > 1 and pts[-1] == pts[0]:
            pts.pop()
        if len(pts) < 3:
            continue
        out = ["M", _pair(_tenths(pts[0][0]), _tenths(pts[0][1])), "l"]
        steps = []
        for (ax, ay), (bx, by) in itertools.pairwise(pts):
            steps.append(_pair(_tenths(bx - ax), _tenths(by - ay)))
        for i, s in enumerate(steps):
            out.append(s if i == 0 or s.startswith("-") else " " + s)
        out.append("z")
        parts.append("".join(out))
    return "".join(parts)


def _safe_href(href: str | None) -> str | None:
    """A link target only if it is relative or http(s): never `javascript:` or `data:`."""
    if not href:
        return None
    href = href.strip()
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    return href if scheme in ("", "http", "https") else None


def id_prefix(kind: str, *parts: object) -> str:
    """The start of every id in one picture: the same for the same content, so a page is stable,
    and different for other pictures, so they can share a page."""
    digest = hashlib.sha1(repr(parts).encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"{kind}-{digest}"


def svg_open(
    prefix: str, width: float, height: float, css_class: str, shown_height: float | None = None
) -> str:
    """The opening tag: an image labelled by its title and description, scaled by its `viewBox`;
    `shown_height` changes only the displayed height."""
    w, h = num(width), num(height)
    shown = num(shown_height) if shown_height is not None else h
    return (
        f'<svg xmlns="{SVG_NS}" class={quoteattr(css_class)} role="group"'
        f' aria-labelledby="{prefix}-title {prefix}-desc" viewBox="0 0 {w} {h}"'
        f' width="{w}" height="{shown}" font-family="system-ui, sans-serif">'
    )


def title_desc(prefix: str, title: str, description: str) -> str:
    """The text alternative: the first children of the picture, as the opening tag names them."""
    return (
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
    )


def link(href: str | None, inner: str, css_class: str) -> str:
    """`inner` inside a link when `href` is safe, else inside a plain group. The link is out of the
    Tab order: the page beside the picture holds the same link as text."""
    target = _safe_href(href)
    if target is None:
        return f"<g class={quoteattr(css_class)}>{inner}</g>"
    return f'<a href={quoteattr(target)} class={quoteattr(css_class)} tabindex="-1">{inner}</a>'
