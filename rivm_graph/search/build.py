"""Reading the search index's content from a store: four SELECTs of plain triple patterns and
VALUES (answered alike by Oxigraph and Virtuoso), read as plain values, then sorted, folded and
ranked into what :mod:`.database` writes.

At 1M triples the SELECTs give 1.2M values; made into rdflib terms they took 10 of the build's
35 s (cProfile), so they are read as :class:`~rivm_graph.rdf.terms.Value` and only the few
literals of a datatype other than a string go through rdflib (which writes some of them in a
canonical form, ``01`` as ``1``: the index shows them as every page does).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..i18n import FALLBACK
from ..rdf.labels import LABEL_PREDICATES, best_text
from ..rdf.namespaces import ID_BASE, PREFIXES
from ..rdf.terms import LITERAL, Value, value_literal
from ..stores import class_hierarchy
from ..stores.base import WHOLE_GRAPH_DEADLINE, GraphStore
from .text import fold

RIVM = PREFIXES["rivm"]
RDF_TYPE = PREFIXES["rdf"] + "type"
#: Names a resource is found by (the label predicates first: labels.best_label's order).
NAME_PREDICATES: tuple[str, ...] = (
    *LABEL_PREDICATES,
    PREFIXES["skos"] + "altLabel",
    PREFIXES["schema"] + "alternateName",
)
#: Codes a resource is found by when the query is exactly one of them (``FR``, ``Q42168``).
IDENTIFIER_PREDICATES: tuple[str, ...] = (
    RIVM + "iso3166Alpha2",
    RIVM + "geonamesId",
    RIVM + "wikidataId",
    RIVM + "sourceKey",
)
#: What a hit's one-line summary says, in this order, where the resource has it: an event's date
#: and host city, a city's country, a site's city, a person's post, a source's kind and date.
SUMMARY_PREDICATES: tuple[str, ...] = (
    PREFIXES["schema"] + "startDate",
    RIVM + "hostCity",
    RIVM + "country",
    RIVM + "locatedIn",
    RIVM + "nearCity",
    PREFIXES["schema"] + "jobTitle",
    RIVM + "sourceType",
    PREFIXES["dct"] + "issued",
)
#: The main kinds, ranked first for an equal match (with their subclasses: conferences, plants,
#: twinnings); a reconciliation client offers them first.
MAIN_KINDS: tuple[str, ...] = tuple(
    RIVM + name
    for name in (
        "City",
        "Event",
        "Person",
        "Country",
        "MichelinSite",
        "Organization",
        "Network",
        "Declaration",
        "Project",
    )
)
#: Records about other resources, ranked last.
LAST_KINDS = frozenset(
    (
        *(
            RIVM + name
            for name in (
                "ReportedFigure",
                "Source",
                "Membership",
                "Participation",
                "HostSelection",
                "SiteStatus",
            )
        ),
        PREFIXES["geo"] + "Geometry",
    )
)
_NAME_ORDER = {p: i for i, p in enumerate(NAME_PREDICATES + IDENTIFIER_PREDICATES)}


@dataclass(frozen=True)
class Name:
    entry: int  # the resource's number in SearchIndex.entries
    text: str
    folded: str
    lang: str | None
    predicate: str


@dataclass(frozen=True)
class Resource:
    """A resource the index finds, as read from the store (before it is written)."""

    iri: str
    types: tuple[str, ...]  # asserted, sorted
    kind: str | None  # the most specific of them (a rivm: class where there is one)
    tier: int  # 0 main kinds, 1 others, 2 records about others
    labels: list[tuple[str, Value]]
    facts: list[tuple[str, Value]]
    sort_name: str


@dataclass(frozen=True)
class Content:
    """Everything the index holds, in the order it is numbered."""

    resources: list[Resource]
    names: list[Name]  # by resource, each resource's in best_label's predicate order
    terms: dict[str, list[tuple[str, Value]]]  # names of the other IRIs the data uses
    term_types: dict[str, tuple[str, ...]]
    below: dict[str, frozenset[str]]  # every class → itself and its subclasses
    data_version: str


def read_content(store: GraphStore) -> Content:
    """Read names, identifiers, types and summary facts with four SELECTs, then number them."""
    labelled: dict[str, list[tuple[str, Value]]] = defaultdict(list)
    for s, p, o in _rows(store, NAME_PREDICATES + IDENTIFIER_PREDICATES, literals=True):
        labelled[s.text].append((p.text, o))
    types: dict[str, set[str]] = defaultdict(set)
    for instance, cls in store.select_values(
        f"SELECT ?s ?o WHERE {{ ?s <{RDF_TYPE}> ?o FILTER(isIRI(?s) && isIRI(?o)) }}",
        deadline=WHOLE_GRAPH_DEADLINE,
    ):
        if instance is not None and cls is not None:
            types[instance.text].add(cls.text)
    facts: dict[str, list[tuple[str, Value]]] = defaultdict(list)
    for s, p, o in _rows(store, SUMMARY_PREDICATES, literals=False):
        facts[s.text].append((p.text, o))
    classes = {c for found in types.values() for c in found}
    below = {c: frozenset(class_hierarchy.subclasses(store, c)) for c in sorted(classes)}
    above = _superclasses(below)

    resources: list[Resource] = []
    names: list[Name] = []
    kinds: dict[tuple[str, ...], tuple[str | None, int]] = {}
    for iri in sorted(labelled):
        if not iri.startswith(ID_BASE):
            continue
        asserted = tuple(sorted(types.get(iri, ())))
        if asserted not in kinds:
            every = {c for t in asserted for c in above.get(t, {t})}
            kinds[asserted] = (_most_specific(asserted, below), _tier(every))
        kind, tier = kinds[asserted]
        labels = sorted(
            ((p, o) for p, o in labelled[iri] if p not in IDENTIFIER_PREDICATES), key=_pair_order
        )
        best = best_text(((p, o.text, o.language) for p, o in labels), FALLBACK)
        names.extend(_names(len(resources), labelled[iri]))
        resources.append(
            Resource(
                iri=iri,
                types=asserted,
                kind=kind,
                tier=tier,
                labels=labels,
                facts=sorted(facts.get(iri, []), key=lambda pair: (pair[0], pair[1].text)),
                sort_name=fold(best or iri),
            )
        )
    terms = {
        iri: sorted(pairs, key=_pair_order)
        for iri, pairs in labelled.items()
        if not iri.startswith(ID_BASE)
    }
    term_types = {iri: tuple(sorted(types.get(iri, ()))) for iri in terms}
    return Content(resources, names, terms, term_types, below, store.data_version)


def _pair_order(pair: tuple[str, Value]) -> tuple:
    predicate, value = pair
    return (predicate, value.text, value.language or "", value.datatype or "")


def _rows(
    store: GraphStore, predicates: Sequence[str], *, literals: bool
) -> Iterable[tuple[Value, Value, Value]]:
    """``(s, p, o)`` of these predicates, a typed literal's text as rdflib writes it."""
    kind = "isLiteral(?o)" if literals else "(isLiteral(?o) || isIRI(?o))"
    values = " ".join(f"<{p}>" for p in predicates)
    where = f"VALUES ?p {{ {values} }} ?s ?p ?o FILTER(isIRI(?s) && {kind})"
    rows = store.select_values(
        f"SELECT ?s ?p ?o WHERE {{ {where} }}", deadline=WHOLE_GRAPH_DEADLINE
    )
    for s, p, o in rows:
        if s is None or p is None or o is None:
            continue
        if o.kind == LITERAL and o.datatype is not None:
            o = o._replace(text=str(value_literal(o)))
        yield s, p, o


def _names(entry: int, pairs: Iterable[tuple[str, Value]]) -> list[Name]:
    """One name per distinct text of a resource (``Cuneo``@en, @fr and @it index once), in
    best_label's predicate order so the name shown as matched is its most usual one."""
    seen: set[str] = set()
    names = []
    for predicate, value in sorted(
        pairs, key=lambda pair: (_NAME_ORDER.get(pair[0], 99), pair[1].language or "", pair[1].text)
    ):
        text = value.text
        if text in seen:
            continue
        folded = fold(text)
        if folded:
            seen.add(text)
            names.append(Name(entry, text, folded, value.language, predicate))
    return names


def _tier(classes: set[str]) -> int:
    if not classes.isdisjoint(MAIN_KINDS):
        return 0
    return 2 if not classes.isdisjoint(LAST_KINDS) else 1


def _superclasses(below: dict[str, frozenset[str]]) -> dict[str, set[str]]:
    above: dict[str, set[str]] = defaultdict(set)
    for cls, subs in below.items():
        for sub in subs:
            above[sub].add(cls)
    return above


def _most_specific(types: Sequence[str], below: dict[str, frozenset[str]]) -> str | None:
    """The asserted type no other asserted type lies below, a rivm: class before others."""
    lowest = [t for t in types if not any(o != t and o in below.get(t, ()) for o in types)]
    return min(lowest, key=lambda t: (not t.startswith(RIVM), t)) if lowest else None
