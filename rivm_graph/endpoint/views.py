"""Views of a SELECT answer drawn on the server: a map, a timeline or a bar chart beside the table.

Which views fit is read from the answer's columns (as WDQS's result views and QLever's map do):
a map for a column of `geo:wktLiteral` points or a latitude and a longitude column, a timeline
for a column of dates (`xsd:date`, `xsd:dateTime`, `xsd:gYearMonth`, `xsd:gYear`), a bar chart for
a label column and a number column. The pictures are the ones of the home page (`pictures/`):
the same projection, atlas and style. Each view draws at most `CAPS[view]` items and says so when
it stops. No Flask here: the query page, the embed route and the tests call it alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rdflib.namespace import XSD

from ..i18n.messages import translator
from ..pictures.bars import Bar, bar_chart_svg
from ..pictures.maps import WORLD, MapPoint, world_map_svg
from ..pictures.timeline import TimelineEvent, timeline_svg
from ..rdf.labels import compact
from ..rdf.namespaces import GEO

#: Every view, the table (always offered, the default) first.
VIEWS: tuple[str, ...] = ("table", "map", "timeline", "bar")
#: The most items each picture draws (points, events, bars); the rest stay in the table.
CAPS: Mapping[str, int] = {"map": 500, "timeline": 100, "bar": 50}

_NUMERIC = {
    str(XSD[name])
    for name in [
        *("integer", "decimal", "double", "float", "int", "long", "short", "byte"),
        *("nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger"),
        *("unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"),
    ]
}
_DATES = {str(XSD[name]) for name in ("date", "dateTime", "dateTimeStamp", "gYearMonth", "gYear")}
_WKT = str(GEO.wktLiteral)
_CRS84 = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
_POINT = re.compile(
    r"^\s*POINT\s*\(\s*([-+]?[\d.]+(?:[eE][-+]?\d+)?)\s+([-+]?[\d.]+(?:[eE][-+]?\d+)?)\s*\)\s*$",
    re.I,
)
_LAT = re.compile(r"lat(itude)?$", re.I)
_LONG = re.compile(r"(long|lon|lng|longitude)$", re.I)
_DATE = re.compile(r"^(-?\d{4,})(?:-(\d\d))?(?:-(\d\d))?")

Binding = Mapping[str, str]
Row = Mapping[str, Binding]
#: ``t(key, **values)`` of ``i18n.messages.translator``
Translate = Callable[..., str]


class ViewError(ValueError):
    """The view asked for is unknown, or does not fit the answer's columns."""


@dataclass(frozen=True)
class Picture:
    """A drawn view: the SVG text, its text alternative, and how many items it drew of how many."""

    view: str
    svg: str
    description: str
    drawn: int
    total: int

    @property
    def capped(self) -> bool:
        return self.drawn < self.total

    def for_frame(self) -> str:
        """The SVG for a page shown in another site's frame: links open a new tab, since the pages
        they lead to refuse to be framed (`<base target>` does not reach SVG links)."""
        return self.svg.replace("<a href=", '<a target="_blank" rel="noopener" href=')


def _number(b: Binding | None) -> float | None:
    if b is None or b.get("type") not in ("literal", "typed-literal"):
        return None
    if b.get("datatype") not in _NUMERIC:
        return None
    try:
        return float(b["value"])
    except ValueError:
        return None


def _point(b: Binding | None) -> tuple[float, float] | None:
    """(lat, long) of a WKT point in CRS84 (the default reference system of GeoSPARQL)."""
    if b is None or b.get("datatype") != _WKT:
        return None
    text = b["value"].strip()
    if text.startswith("<"):
        if not text.startswith(_CRS84):
            return None
        text = text[len(_CRS84) :]
    m = _POINT.match(text)
    if not m:
        return None
    long, lat = float(m.group(1)), float(m.group(2))
    return (lat, long) if -90 <= lat <= 90 and -180 <= long <= 180 else None


def _date(b: Binding | None) -> dt.date | None:
    if b is None or b.get("datatype") not in _DATES:
        return None
    m = _DATE.match(b["value"])
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:  # year 0, negative years, beyond 9999: not on this timeline
        return None


def _column(
    variables: Sequence[str], rows: Sequence[Row], read: Callable[[Binding], object]
) -> str | None:
    """The first column where some value reads as wanted and no bound value fails to."""
    for v in variables:
        values = [row[v] for row in rows if v in row]
        if values and all(read(b) is not None for b in values):
            return v
    return None


@dataclass(frozen=True)
class Columns:
    """What the answer's columns hold, as far as the views are concerned."""

    item: str | None  # the first column of IRIs: what each row is about
    label: str | None  # the column naming each row (the item's `…Label` column, or text)
    wkt: str | None
    lat: str | None
    long: str | None
    date: str | None
    number: str | None

    def fits(self, view: str) -> bool:
        if view == "map":
            return self.wkt is not None or (self.lat is not None and self.long is not None)
        if view == "timeline":
            return self.date is not None
        if view == "bar":
            return self.number is not None and self.label is not None
        return view == "table"


def read_columns(variables: Sequence[str], rows: Sequence[Row]) -> Columns:
    def kinds(v: str) -> set[str]:
        return {row[v]["type"] for row in rows if v in row}

    item = next((v for v in variables if kinds(v) == {"uri"}), None)
    label = None
    if item is not None and f"{item}Label" in variables:
        label = f"{item}Label"
    if label is None:  # the first column of IRIs or of text that is not a number or a date
        label = next(
            (
                v
                for v in variables
                if kinds(v)
                and all(
                    row[v]["type"] == "uri" or (_number(row[v]) is None and _date(row[v]) is None)
                    for row in rows
                    if v in row
                )
            ),
            None,
        )
    numbers = [v for v in variables if _column([v], rows, _number) and v != label]
    lat = next((v for v in numbers if _LAT.search(v)), None)
    long = next((v for v in numbers if _LONG.search(v)), None)
    numbers = [v for v in numbers if v not in (lat, long)]
    if label is None and len(numbers) >= 2:  # e.g. a year and a count: the first names the row
        label = numbers.pop(0)
    number = numbers[0] if numbers else None
    return Columns(
        item=item,
        label=label,
        wkt=_column(variables, rows, _point),
        lat=lat,
        long=long,
        date=_column(variables, rows, _date),
        number=number,
    )


def fitting_views(variables: Sequence[str], rows: Sequence[Row]) -> list[str]:
    """The views that fit the answer, the table first."""
    if not rows:
        return ["table"]
    columns = read_columns(variables, rows)
    return [v for v in VIEWS if columns.fits(v)]


class _Namer:
    """Each row's name and link: the label column, else the item's label, else its short IRI."""

    def __init__(self, columns: Columns, labels: Mapping[str, str], href: Callable[[str], str]):
        self.columns, self.labels, self.href = columns, labels, href

    def name(self, row: Row) -> str:
        c = self.columns
        if c.label and c.label in row:
            b = row[c.label]
            if b["type"] == "uri":
                return self.labels.get(b["value"]) or compact(b["value"])
            return b["value"]
        if c.item and c.item in row:
            iri = row[c.item]["value"]
            return self.labels.get(iri) or compact(iri)
        return ""

    def link(self, row: Row) -> tuple[str, str]:
        """(IRI, href) of what the row is about, if a column holds it."""
        for v in (self.columns.item, self.columns.label):
            if v and v in row and row[v]["type"] == "uri":
                iri = row[v]["value"]
                return iri, self.href(iri)
        return "", ""


def _listing(names: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(names[:limit])
    return shown + (", …" if len(names) > limit else "")


def _bounds(points: Sequence[MapPoint]) -> tuple[float, float, float, float]:
    """The region around the points, in steps of 10° (so few distinct maps are drawn and cached),
    at least 40° wide; the world (less Antarctica) when they are spread over most of it."""
    west = 10 * ((min(p.long for p in points) - 5) // 10)
    east = 10 * -((-max(p.long for p in points) - 5) // 10)
    south = 10 * ((min(p.lat for p in points) - 5) // 10)
    north = 10 * -((-max(p.lat for p in points) - 5) // 10)
    if east - west > 240:
        return WORLD
    while east - west < 40:
        west, east = west - 10, east + 10
    while north - south < 20:
        south, north = south - 10, north + 10
    return (max(west, -180.0), max(south, -58.0), min(east, 180.0), min(north, 85.0))


def require_picture(view: str, language: str = "en") -> None:
    """:class:`ViewError` unless `view` names a picture (every view but the table)."""
    if view not in VIEWS or view == "table":
        t = translator(language)
        raise ViewError(t("view_unknown", view=view, views=", ".join(VIEWS[1:])))


def draw(
    view: str,
    variables: Sequence[str],
    rows: Sequence[Row],
    *,
    labels: Mapping[str, str],
    href: Callable[[str], str],
    language: str = "en",
    title: str = "",
) -> Picture:
    """The picture of `view` for this answer; :class:`ViewError` if it is not one that fits.

    `labels`: IRI -> name in the reader's language (for rows without a label column); `href`:
    where a resource links to; `title`: the picture's title (the query's, if it has one).
    """
    t: Translate = translator(language)
    require_picture(view, language)
    columns = read_columns(variables, rows)
    if not rows or not columns.fits(view):
        raise ViewError(t("view_does_not_fit", view=t(f"view_{view}")))
    namer = _Namer(columns, labels, href)
    cap = CAPS[view]
    title = title or t(f"view_{view}_title")
    if view == "map":
        return _draw_map(rows, columns, namer, cap, title, t)
    if view == "timeline":
        return _draw_timeline(rows, columns, namer, cap, title, t)
    return _draw_bars(rows, columns, namer, cap, title, t)


def _describe(t: Translate, key: str, drawn: int, total: int, cap: int, **values: str) -> str:
    """The picture's text alternative, and the note that the cap stopped it where it did."""
    text = t(key, n=drawn, **values)
    if drawn < total:
        text += " " + t("view_capped", drawn=drawn, total=total, cap=cap)
    return text


def _draw_map(
    rows: Sequence[Row], columns: Columns, namer: _Namer, cap: int, title: str, t: Translate
) -> Picture:
    points: dict[tuple[str, tuple[float, float]], MapPoint] = {}
    for row in rows:
        where = _point(row.get(columns.wkt)) if columns.wkt else None
        if where is None and columns.lat and columns.long:
            lat, long = _number(row.get(columns.lat)), _number(row.get(columns.long))
            if lat is not None and long is not None and -90 <= lat <= 90 and -180 <= long <= 180:
                where = (lat, long)
        if where is None:
            continue
        iri, href = namer.link(row)
        name = namer.name(row) or f"{where[0]:.3f}, {where[1]:.3f}"
        key = (iri or name, where)
        points.setdefault(
            key, MapPoint(iri=iri, label=name, lat=where[0], long=where[1], href=href)
        )
    every = list(points.values())
    drawn = every[:cap]
    source = columns.wkt or f"{columns.lat}, {columns.long}"
    description = _describe(
        t,
        "view_map_description",
        len(drawn),
        len(every),
        cap,
        columns=source,
        names=_listing([p.label for p in drawn]),
    )
    bounds = _bounds(drawn) if drawn else WORLD
    svg = world_map_svg(
        drawn,
        title=title,
        description=description,
        bounds=bounds,
        legend={"city": t("view_map_legend")},
    )
    return Picture("map", svg, description, len(drawn), len(every))


def _draw_timeline(
    rows: Sequence[Row], columns: Columns, namer: _Namer, cap: int, title: str, t: Translate
) -> Picture:
    assert columns.date is not None
    events: dict[tuple[str, dt.date], TimelineEvent] = {}
    for row in rows:
        when = _date(row.get(columns.date))
        if when is None:
            continue
        iri, href = namer.link(row)
        name = namer.name(row) or when.isoformat()
        events.setdefault(
            (iri or name, when), TimelineEvent(iri=iri, label=name, date=when, href=href)
        )
    every = sorted(events.values(), key=lambda e: (e.date, e.label))
    drawn = every[:cap]
    description = _describe(
        t,
        "view_timeline_description",
        len(drawn),
        len(every),
        cap,
        column=columns.date,
        first=drawn[0].date.isoformat() if drawn else "",
        last=drawn[-1].date.isoformat() if drawn else "",
        names=_listing([e.label for e in drawn]),
    )
    svg = timeline_svg(drawn, title=title, description=description)
    return Picture("timeline", svg, description, len(drawn), len(every))


def _draw_bars(
    rows: Sequence[Row], columns: Columns, namer: _Namer, cap: int, title: str, t: Translate
) -> Picture:
    assert columns.number is not None
    every = []
    for row in rows:
        value = _number(row.get(columns.number))
        if value is None:
            continue
        _, href = namer.link(row)
        every.append(Bar(namer.name(row), value, row[columns.number]["value"], href))
    drawn = every[:cap]
    description = _describe(
        t,
        "view_bar_description",
        len(drawn),
        len(every),
        cap,
        column=columns.number,
        label=columns.label or "",
        items=_listing([f"{b.label} {b.shown}" for b in drawn]),
    )
    svg = bar_chart_svg(drawn, title=title, description=description, axis_label=columns.number)
    return Picture("bar", svg, description, len(drawn), len(every))
