"""What a resource page shows, built from the graph for one reader's languages (no Flask here).

A page shows the resource's name and kind, a summary, its statements grouped (identity, place,
dates, relations), the resources that point to it, the qualified statements about it (reported
figures side by side when sources disagree, memberships, participations, site statuses, claims) each
with its own sources and confidence, and the numbered list of every source cited. A link to a
resource flagged low or unconfirmed says so beside it: a flagged site, declaration or event must not
read as sure on the page of the city or conference it points to.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ..rdf.labels import LABEL_PREDICATES, best_label, compact
from ..rdf.literals import literal
from ..rdf.namespaces import ID_BASE, PREFIXES
from ..stores.base import GraphStore
from .resource_description import describe_resource, document_iri

P = {k: PREFIXES[k] for k in ("rdfs", "skos", "schema", "dct", "rivm", "owl", "geo", "wgs", "org")}
RIVM = P["rivm"]
SOURCE = URIRef(P["dct"] + "source")
CONFIDENCE = URIRef(RIVM + "confidence")
SUMMARY = (
    URIRef(P["rdfs"] + "comment"),
    URIRef(P["schema"] + "description"),
    URIRef(P["skos"] + "definition"),
)
HIDDEN = {
    str(RDF.type),
    str(SOURCE),
    str(CONFIDENCE),
    *(str(s) for s in SUMMARY),
    *LABEL_PREDICATES,
}

GROUPS: OrderedDict[str, set[str]] = OrderedDict(
    identity={
        P["skos"] + "altLabel",
        P["schema"] + "alternateName",
        RIVM + "geonamesId",
        RIVM + "wikidataId",
        RIVM + "iso3166Alpha2",
        P["owl"] + "sameAs",
        P["schema"] + "url",
        RIVM + "sourceKey",
        RIVM + "sourceType",
        RIVM + "ordinal",
        P["schema"] + "jobTitle",
        P["dct"] + "language",
    },
    place={
        RIVM + "country",
        RIVM + "subdivisionCode",
        RIVM + "locatedIn",
        RIVM + "nearCity",
        RIVM + "hostCity",
        P["schema"] + "location",
        P["geo"] + "hasGeometry",
        P["schema"] + "address",
        P["wgs"] + "lat",
        P["wgs"] + "long",
        P["geo"] + "asWKT",
    },
    dates={
        P["schema"] + "startDate",
        P["schema"] + "endDate",
        RIVM + "openingDate",
        P["dct"] + "date",
        P["dct"] + "issued",
        P["dct"] + "modified",
        RIVM + "referenceDate",
        RIVM + "announcedDate",
        RIVM + "effectiveDate",
        RIVM + "dateText",
    },
)
#: Kinds of resource that are statements about another resource, with their own sources.
QUALIFIED = {
    RIVM + "ReportedFigure": "figures",
    RIVM + "Membership": "memberships",
    RIVM + "Participation": "participations",
    RIVM + "HostSelection": "selections",
    RIVM + "SiteStatus": "statuses",
    RIVM + "Claim": "claims",
}
#: Confidence levels a link shows beside it (the flagged ones; a page states its own level always).
FLAGGED = (RIVM + "LowConfidence", RIVM + "Unconfirmed")


@dataclass
class Value:
    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    confidence: str | None = None


@dataclass
class Row:
    predicate: str
    label: str
    values: list[Value]


@dataclass
class SourceNote:
    number: int
    iri: str
    href: str
    title: str
    url: str | None
    date: str | None
    kind: str | None


@dataclass
class Statement:
    """A qualified statement (a figure, a membership…) shown with its own sources."""

    iri: str
    href: str
    title: str
    rows: list[Row]
    sources: list[int]
    confidence: str | None
    graph: Graph = field(repr=False, default_factory=Graph)


@dataclass
class FigureGroup:
    quantity: str
    conflicting: bool
    figures: list[Statement]


@dataclass
class ResourcePage:
    iri: str
    title: str
    kinds: list[Value]
    summary: str | None
    summary_lang: str | None
    groups: OrderedDict[str, list[Row]]
    incoming: list[Row]
    figure_groups: list[FigureGroup]
    statements: dict[str, list[Statement]]
    sources: list[int]
    confidence: str | None
    notes: list[SourceNote] = field(default_factory=list)
    point: tuple[float, float] | None = None


class PageBuilder:
    def __init__(
        self,
        store: GraphStore,
        iri: str,
        languages: Sequence[str],
        local_href: Callable[[str], str],
    ):
        self.store, self.iri, self.languages, self.local_href = (
            store,
            iri,
            list(languages),
            local_href,
        )
        self.graph: Graph = describe_resource(store, iri)
        self.notes: OrderedDict[str, SourceNote] = OrderedDict()
        self._predicate_labels: dict[str, str] = {}

    # -- names ------------------------------------------------------------------------------
    def label(self, iri: str, graph: Graph | None = None) -> str:
        graph = graph if graph is not None else self.graph
        pairs = [
            (p, o)
            for p in LABEL_PREDICATES
            for o in graph.objects(URIRef(iri), URIRef(p))
            if isinstance(o, Literal)
        ]
        return best_label(pairs, self.languages) or compact(iri)

    def predicate_label(self, iri: str) -> str:
        if iri not in self._predicate_labels:
            result = self.store.query(f"SELECT ?l WHERE {{ <{iri}> <{P['rdfs']}label> ?l }}")
            pairs = [
                (P["rdfs"] + "label", label)
                for r in result.rows
                if isinstance(label := r["l"], Literal)
            ]
            self._predicate_labels[iri] = best_label(pairs, self.languages) or compact(iri)
        return self._predicate_labels[iri]

    def value(self, term, graph: Graph | None = None) -> Value:
        if isinstance(term, URIRef):
            iri = str(term)
            return Value(self.label(iri, graph), self.local_href(iri), iri)
        if isinstance(term, Literal):
            return Value(str(term), lang=term.language)
        return Value(str(term))

    def pick_literal(self, subject: URIRef, predicates, graph: Graph) -> Literal | None:
        pairs = [
            (str(LABEL_PREDICATES[1]), o)
            for p in predicates
            for o in graph.objects(subject, p)
            if isinstance(o, Literal)
        ]
        chosen = best_label(pairs, self.languages)
        if chosen is None:
            return None
        return next(o for _, o in pairs if str(o) == chosen)

    # -- sources ----------------------------------------------------------------------------
    def cite(self, sources, graph: Graph) -> list[int]:
        numbers = []
        for source in sorted({str(s) for s in sources}):
            if source not in self.notes:
                node = URIRef(source)
                url = _first(graph, node, URIRef(P["schema"] + "url"))
                date = _first(graph, node, URIRef(RIVM + "dateText")) or _first(
                    graph, node, URIRef(P["dct"] + "issued")
                )
                kind = self.pick_literal(node, [URIRef(RIVM + "sourceType")], graph)
                title = self.pick_literal(node, [URIRef(P["dct"] + "title")], graph)
                self.notes[source] = SourceNote(
                    number=len(self.notes) + 1,
                    iri=source,
                    href=self.local_href(source),
                    title=str(title) if title else self.label(source, graph),
                    url=str(url) if url else None,
                    date=str(date) if date else None,
                    kind=str(kind) if kind else None,
                )
            numbers.append(self.notes[source].number)
        return sorted(numbers)

    def confidence(self, subject: URIRef, graph: Graph) -> str | None:
        level = graph.value(subject, CONFIDENCE)
        return None if level is None else self.label(str(level), graph)

    def flag_links(self, rows: list[Row]) -> None:
        """Mark each linked value whose resource is flagged low or unconfirmed."""
        iris = sorted({v.iri for row in rows for v in row.values if v.iri})
        if not iris:
            return
        values = " ".join(f"<{iri}>" for iri in iris)
        levels = " ".join(f"<{level}>" for level in FLAGGED)
        result = self.store.query(
            f"SELECT ?s ?level WHERE {{ VALUES ?s {{ {values} }} VALUES ?level {{ {levels} }} "
            f"?s <{CONFIDENCE}> ?level }}"
        )
        flagged = {str(r["s"]): str(r["level"]) for r in result.rows}
        if not flagged:
            return
        names = self.store.labels(set(flagged.values()), self.languages)
        for row in rows:
            for value in row.values:
                if value.iri in flagged:
                    level = flagged[value.iri]
                    value.confidence = names.get(level, compact(level))

    # -- rows -------------------------------------------------------------------------------
    def rows(self, subject: URIRef, graph: Graph, skip: set[str], leave_out: str = "") -> list[Row]:
        """Statements of ``subject`` by predicate; ``leave_out``: the page's own resource."""
        by_predicate: dict[str, list] = defaultdict(list)
        for p, o in graph.predicate_objects(subject):
            if str(p) not in skip and str(o) != leave_out:
                by_predicate[str(p)].append(o)
        rows = []
        for predicate, objects in by_predicate.items():
            values = sorted((self.value(o, graph) for o in objects), key=_value_order)
            rows.append(Row(predicate, self.predicate_label(predicate), values))
        return sorted(rows, key=lambda r: r.label.lower())

    def build(self) -> ResourcePage:
        subject = URIRef(self.iri)
        graph = self.graph
        kinds = sorted((self.value(t) for t in graph.objects(subject, RDF.type)), key=_value_order)
        summary = self.pick_literal(subject, SUMMARY, graph)
        groups: OrderedDict[str, list[Row]] = OrderedDict(
            (g, []) for g in (*GROUPS, "relations", "other")
        )
        for row in self.rows(subject, graph, HIDDEN):
            group = next((g for g, members in GROUPS.items() if row.predicate in members), None)
            if group is None:
                group = "relations" if any(v.iri for v in row.values) else "other"
            groups[group].append(row)
        sources = self.cite(graph.objects(subject, SOURCE), graph)
        incoming, statements = self.incoming(subject)
        self.flag_links([row for rows in groups.values() for row in rows] + incoming)
        figure_groups = self.figure_groups(statements.pop("figures", []))
        point = self.point(subject)
        return ResourcePage(
            iri=self.iri,
            title=self.label(self.iri),
            kinds=kinds,
            summary=str(summary) if summary is not None else None,
            summary_lang=summary.language if summary is not None else None,
            groups=OrderedDict((g, rows) for g, rows in groups.items() if rows),
            incoming=incoming,
            figure_groups=figure_groups,
            statements=statements,
            sources=sources,
            confidence=self.confidence(subject, graph),
            notes=list(self.notes.values()),
            point=point,
        )

    def incoming(self, subject: URIRef) -> tuple[list[Row], dict[str, list[Statement]]]:
        graph = self.graph
        plain: dict[str, list] = defaultdict(list)
        qualified: dict[str, list[URIRef]] = defaultdict(list)
        document = URIRef(document_iri(self.iri))
        for s, p in graph.subject_predicates(subject):
            if s in (subject, document) or str(p) == str(SOURCE):
                continue
            kinds = {str(t) for t in graph.objects(s, RDF.type)}
            kind = next((QUALIFIED[k] for k in kinds if k in QUALIFIED), None)
            if kind and isinstance(s, URIRef):  # fetched by IRI (statements)
                qualified[kind].append(s)
            else:
                plain[str(p)].append(s)
        for status in graph.objects(subject, URIRef(RIVM + "statusReport")):
            if isinstance(status, URIRef):
                qualified["statuses"].append(status)
        rows = [
            Row(
                p,
                self.predicate_label(p),
                sorted((self.value(s) for s in set(subjects)), key=_value_order),
            )
            for p, subjects in plain.items()
        ]
        statements = {
            kind: self.statements(sorted(set(nodes))) for kind, nodes in sorted(qualified.items())
        }
        return sorted(rows, key=lambda r: r.label.lower()), statements

    def statements(self, nodes: list[URIRef]) -> list[Statement]:
        if not nodes:
            return []
        values = " ".join(f"<{n}>" for n in nodes)
        details = self.store.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"
        )
        graph = details.graph or Graph()
        graph += self.store.names(
            {str(o) for o in graph.objects() if isinstance(o, URIRef)}, with_types=True
        )
        source_details = self.store.query(
            "CONSTRUCT { ?src ?p ?o } WHERE { VALUES ?s { "
            + values
            + " } ?s <"
            + str(SOURCE)
            + "> ?src . ?src ?p ?o }"
        )
        if source_details.graph is not None:
            graph += source_details.graph
        out = [
            Statement(
                iri=str(node),
                href=self.local_href(str(node)),
                title=self.label(str(node), graph),
                rows=self.rows(node, graph, HIDDEN, leave_out=self.iri),
                sources=self.cite(graph.objects(node, SOURCE), graph),
                confidence=self.confidence(node, graph),
                graph=graph,
            )
            for node in nodes
        ]
        return sorted(out, key=lambda s: s.title.lower())

    def figure_groups(self, figures: list[Statement]) -> list[FigureGroup]:
        groups: dict[str, list[Statement]] = defaultdict(list)
        values: dict[str, set[str]] = defaultdict(set)
        for figure in figures:
            graph = figure.graph
            node = URIRef(figure.iri)
            quantity = graph.value(node, URIRef(RIVM + "quantity"))
            forecast = graph.value(node, URIRef(RIVM + "isForecast"))
            name = self.label(str(quantity), graph) if quantity is not None else "?"
            if isinstance(forecast, Literal) and forecast.toPython() is True:
                name += " *"
            groups[name].append(figure)
            values[name].add(str(graph.value(node, URIRef(RIVM + "value"))))
        return [
            FigureGroup(name, len(values[name]) > 1, sorted(items, key=_figure_order))
            for name, items in sorted(groups.items())
        ]

    def point(self, subject: URIRef) -> tuple[float, float] | None:
        result = self.store.query(
            f"SELECT ?lat ?long WHERE {{ <{subject}> <{P['geo']}hasGeometry> ?g . "
            f"?g <{P['wgs']}lat> ?lat ; <{P['wgs']}long> ?long }} LIMIT 1"
        )
        if not result.rows:
            return None
        row = result.rows[0]
        return float(literal(row["lat"])), float(literal(row["long"]))


def _first(graph: Graph, subject, predicate):
    """The least of a subject's values (one, whatever order the store returned them in)."""
    return min(graph.objects(subject, predicate), key=lambda o: (str(o), repr(o)), default=None)


def _value_order(value: Value) -> tuple:
    """Values by their text, then language and IRI: the same order from every store."""
    return (value.text.lower(), value.text, value.lang or "", value.iri or "")


def _figure_order(figure: Statement) -> tuple:
    graph = figure.graph
    node = URIRef(figure.iri)
    value = graph.value(node, URIRef(RIVM + "value"))
    date = graph.value(node, URIRef(RIVM + "referenceDate")) or graph.value(
        node, URIRef(RIVM + "dateText")
    )
    return (str(date or ""), str(value or ""))


def build_page(
    store: GraphStore, iri: str, languages: Sequence[str], local_href: Callable[[str], str]
) -> ResourcePage:
    return PageBuilder(store, iri, languages, local_href).build()


def is_resource_iri(iri: str) -> bool:
    return iri.startswith(ID_BASE)
