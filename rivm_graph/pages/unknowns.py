"""What the graph does not know, from the graph: flagged statements, conflicts between sources,
cities whose Michelin sites are not known.

Nothing here is written by hand: the page lists what the data flags (rivm:confidence low or
unconfirmed, rivm:Claim), what its figures disagree on (several values for one thing, one per
source), and which cities have neither a confirmed site nor a sourced report that they have none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..rdf.namespaces import PREFIXES, sparql_prologue
from ..stores.base import GraphStore
from ..stores.class_hierarchy import values

RIVM = PREFIXES["rivm"]
EVENT = RIVM + "Event"
SITE = RIVM + "MichelinSite"
#: Confidence levels the page lists, the least established first.
FLAGGED = (RIVM + "Unconfirmed", RIVM + "LowConfidence")
DATE_TYPES = {PREFIXES["xsd"] + t for t in ("date", "gYearMonth", "gYear")}


@dataclass(frozen=True)
class Link:
    href: str
    label: str


@dataclass
class Flagged:
    """A resource the data flags, with what it is, what it says and who says it."""

    item: Link
    kind: str
    level: str  # the rivm:ConfidenceLevel's IRI
    confidence: Link
    note: str | None
    note_lang: str | None
    about: Link | None = None  # a claim's subject
    sources: list[Link] = field(default_factory=list)


@dataclass
class Conflict:
    """One thing (a subject and a quantity) on which sources give different values."""

    subject: Link
    quantity: str
    period: str  # the year compared within, or "any"
    forecast: bool  # announced before the fact
    values: list[tuple[str, Link, Link]]  # (value, figure, source)


@dataclass
class UnknownCity:
    city: Link
    unconfirmed_sites: list[Link]


@dataclass
class Unknowns:
    flagged: list[Flagged]
    conflicts: list[Conflict]
    cities: list[UnknownCity]


def _select(store: GraphStore, text: str) -> list[dict]:
    return store.query(sparql_prologue(text) + text).rows


def _text(candidates: list, languages: Sequence[str]) -> tuple[str | None, str | None]:
    """A note and its language: the reader's language first, then the fallbacks."""
    # Sorted, so that a resource with two notes in one language shows the same one everywhere.
    by_language = {getattr(c, "language", None) or "": str(c) for c in sorted(candidates, key=str)}
    for language in (*languages, "", *by_language):
        if language in by_language:
            return by_language[language], language or None
    return None, None


def flagged_statements(
    store: GraphStore, languages: Sequence[str], href: Callable[[str], str]
) -> list[Flagged]:
    rows = _select(
        store,
        """SELECT ?item ?confidence ?type ?note ?about ?source ?sourceKey WHERE {
             VALUES ?confidence { rivm:Unconfirmed rivm:LowConfidence }
             ?item rivm:confidence ?confidence ; a ?type .
             OPTIONAL { ?item rivm:evidence|rdfs:comment ?note }
             OPTIONAL { ?item rdf:subject ?about }
             OPTIONAL { ?item dct:source ?source . ?source rivm:sourceKey ?sourceKey }
           }""",
    )
    found: dict[str, dict] = {}
    for row in rows:
        entry = found.setdefault(
            str(row["item"]),
            {"confidence": str(row["confidence"]), "types": set(), "notes": [], "sources": {}},
        )
        entry["types"].add(str(row["type"]))
        if row.get("note") is not None and row["note"] not in entry["notes"]:
            entry["notes"].append(row["note"])
        if row.get("about") is not None:
            entry["about"] = str(row["about"])
        if row.get("source") is not None:
            entry["sources"][str(row["source"])] = str(row["sourceKey"])
    iris = set(found) | {t for e in found.values() for t in e["types"]} | set(FLAGGED)
    iris |= {e["about"] for e in found.values() if "about" in e}
    labels = store.labels(iris, languages)
    result = []
    for iri, entry in found.items():
        own = sorted(t for t in entry["types"] if t.startswith(RIVM)) or sorted(entry["types"])
        about = entry.get("about")
        note, note_lang = _text(entry["notes"], languages)
        result.append(
            Flagged(
                item=Link(href(iri), labels.get(iri, iri)),
                kind=", ".join(labels.get(t, t.rsplit("#", 1)[-1]) for t in own),
                level=entry["confidence"],
                confidence=Link(href(entry["confidence"]), labels.get(entry["confidence"], "")),
                note=note,
                note_lang=note_lang,
                about=Link(href(about), labels.get(about, about)) if about else None,
                sources=[Link(href(s), key) for s, key in sorted(entry["sources"].items())],
            )
        )
    result.sort(key=lambda f: (FLAGGED.index(f.level), f.kind, f.item.label))
    return result


def conflicts(
    store: GraphStore, languages: Sequence[str], href: Callable[[str], str]
) -> list[Conflict]:
    """Figures that disagree: one subject, one quantity, forecasts apart, several values. Counts
    that change over time are compared within a year (an event's, or a date's, at any time)."""
    events = {
        str(r["e"])
        for r in _select(store, f"SELECT ?e WHERE {{ {values(store, 'c', EVENT)} ?e a ?c }}")
    }
    rows = _select(
        store,
        """SELECT ?figure ?subject ?quantity ?value ?date ?forecast ?source ?sourceKey WHERE {
             ?figure a rivm:ReportedFigure ; rivm:about ?subject ; rivm:quantity ?quantity ;
                 rivm:value ?value ; dct:source ?source .
             ?source rivm:sourceKey ?sourceKey .
             OPTIONAL { ?figure rivm:referenceDate ?date }
             OPTIONAL { ?figure rivm:isForecast ?forecast }
           }""",
    )
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        subject, value = str(row["subject"]), row["value"]
        timeless = subject in events or str(getattr(value, "datatype", "")) in DATE_TYPES
        period = "any" if timeless else str(row.get("date") or "undated")[:4]
        forecast = str(row.get("forecast") or "false") in ("true", "1")
        groups[(subject, str(row["quantity"]), forecast, period)].append(row)
    disagreeing = {k: v for k, v in groups.items() if len({str(r["value"]) for r in v}) > 1}
    iris = {k[0] for k in disagreeing} | {k[1] for k in disagreeing}
    labels = store.labels(iris, languages)
    result = []
    for (subject, quantity, forecast, period), members in disagreeing.items():
        members.sort(key=lambda r: (str(r["value"]), str(r["sourceKey"])))
        result.append(
            Conflict(
                subject=Link(href(subject), labels.get(subject, subject)),
                quantity=labels.get(quantity, quantity),
                period=period,
                forecast=forecast,
                values=[
                    (
                        str(r["value"]),
                        Link(href(str(r["figure"])), str(r["value"])),
                        Link(href(str(r["source"])), str(r["sourceKey"])),
                    )
                    for r in members
                ],
            )
        )
    result.sort(key=lambda c: (c.subject.label, c.quantity, c.period, c.forecast))
    return result


def cities_without_known_sites(
    store: GraphStore, languages: Sequence[str], href: Callable[[str], str]
) -> list[UnknownCity]:
    """Cities with no confirmed Michelin site in or near them and no sourced report of none."""
    sites = values(store, "siteClass", SITE)
    rows = _select(
        store,
        f"""SELECT ?city ?site ?confidence WHERE {{
              ?city a rivm:City .
              OPTIONAL {{
                {sites}
                ?site a ?siteClass ; rivm:locatedIn|rivm:nearCity ?city .
                OPTIONAL {{ ?site rivm:confidence ?confidence }}
              }}
            }}""",
    )
    reported_none = {
        str(r["city"])
        for r in _select(
            store, "SELECT ?city WHERE { ?city rivm:statusReport/rivm:status rivm:NoSite }"
        )
    }
    confirmed: set[str] = set()
    unconfirmed: dict[str, set[str]] = defaultdict(set)
    cities: set[str] = set()
    for row in rows:
        city = str(row["city"])
        cities.add(city)
        if row.get("site") is None:
            continue
        if str(row.get("confidence") or "") == RIVM + "Unconfirmed":
            unconfirmed[city].add(str(row["site"]))
        else:
            confirmed.add(city)
    unknown = sorted(cities - confirmed - reported_none)
    labels = store.labels(set(unknown) | {s for c in unknown for s in unconfirmed[c]}, languages)
    result = [
        UnknownCity(
            city=Link(href(c), labels.get(c, c)),
            unconfirmed_sites=[Link(href(s), labels.get(s, s)) for s in sorted(unconfirmed[c])],
        )
        for c in unknown
    ]
    result.sort(key=lambda u: u.city.label)
    return result


def build_unknowns(
    store: GraphStore, languages: Sequence[str], href: Callable[[str], str]
) -> Unknowns:
    return Unknowns(
        flagged=flagged_statements(store, languages, href),
        conflicts=conflicts(store, languages, href),
        cities=cities_without_known_sites(store, languages, href),
    )
