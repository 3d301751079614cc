"""Choosing the name to show for a resource: ordered predicates, then the reader's languages.

The store fetches the candidates (``GraphStore.labels`` and ``GraphStore.names``); this module
only ranks them and writes names and IRIs the way a person reads them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdflib.term import Literal, Node, URIRef

from .namespaces import PREFIXES

#: Predicates whose values name a resource, in order of preference.
LABEL_PREDICATES: tuple[str, ...] = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "https://schema.org/name",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
)


def best_label(candidates: Iterable[tuple[str, Literal]], languages: Sequence[str]) -> str | None:
    """Pick among (predicate, literal) pairs: predicate order first (others last), then language.

    Untagged literals come after every preferred language, and any other language after them, so
    a resource that has a name always shows one.
    """
    best = best_literal(candidates, languages)
    return str(best) if best is not None else None


def best_literal(
    candidates: Iterable[tuple[str, Literal]], languages: Sequence[str]
) -> Literal | None:
    """`best_label`'s choice with its language tag, for a page that must say which language a
    name it falls back on is in (WCAG 3.1.2, Language of Parts)."""
    ranked = sorted(
        candidates, key=lambda pair: _rank(pair[0], pair[1].language, str(pair[1]), languages)
    )
    return ranked[0][1] if ranked else None


def best_text(
    candidates: Iterable[tuple[str, str, str | None]], languages: Sequence[str]
) -> str | None:
    """`best_label` of (predicate, text, language) triples: for names read as plain text, with no
    rdflib literal made for each."""
    best = min(
        candidates, key=lambda name: _rank(name[0], name[2], name[1], languages), default=None
    )
    return best[1] if best is not None else None


def _rank(predicate: str, language: str | None, text: str, languages: Sequence[str]) -> tuple:
    lang = (language or "").lower()
    if lang in languages:
        lang_rank = languages.index(lang)
    elif not lang:
        lang_rank = len(languages)
    else:
        lang_rank = len(languages) + 1
    known = LABEL_PREDICATES.index(predicate) if predicate in LABEL_PREDICATES else 99
    return (known, lang_rank, lang, text)  # then by text: the same from any store


def pairs(subjects: Iterable[str], predicates: Iterable[str], names: str = "?s ?p") -> str:
    """``VALUES (?s ?p) { (<s1> <p1>) … }``: every subject with every predicate, as pairs.

    The same as two VALUES blocks multiplied, but Virtuoso answers the pairs at once (4 ms where
    the product took 33 ms, measured on a fresh 1M-triple database); Oxigraph alike.
    """
    predicates = list(predicates)
    rows = " ".join(f"(<{s}> <{p}>)" for s in subjects for p in predicates)
    return f"VALUES ({names}) {{ {rows} }}"


def compact(iri: str) -> str:
    """``city:clermont-ferrand`` for an IRI in a known namespace, else the IRI itself."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and all(c.isalnum() or c in "-_." for c in local):
            return f"{best}:{local}"
    return iri


def display(term: Node | None, labels: dict[str, str]) -> str:
    """How a result cell reads for a person: ``Label (prefix:local)``, or the literal's text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        name = compact(str(term))
        label = labels.get(str(term))
        return f"{label} ({name})" if label else name
    return str(term)
