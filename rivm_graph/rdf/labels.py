"""Choosing the name to show for a resource: ordered predicates, then the reader's languages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdflib.term import Literal, Node, URIRef

from ..i18n import FALLBACK
from ..stores.base import LABEL_PREDICATES, GraphStore
from .literals import literal
from .namespaces import PREFIXES


def best_label(candidates: Iterable[tuple[str, Literal]], languages: Sequence[str]) -> str | None:
    """Pick among (predicate, literal) pairs: predicate order first (others last), then language.

    Untagged literals come after every preferred language, and any other language after them, so
    a resource that has a name always shows one.
    """

    def rank(pair: tuple[str, Literal]) -> tuple:
        predicate, literal = pair
        lang = (literal.language or "").lower()
        if lang in languages:
            lang_rank = languages.index(lang)
        elif not lang:
            lang_rank = len(languages)
        else:
            lang_rank = len(languages) + 1
        known = LABEL_PREDICATES.index(predicate) if predicate in LABEL_PREDICATES else 99
        return (known, lang_rank, lang, str(literal))  # then by text: the same from any store

    ranked = sorted(candidates, key=rank)
    return str(ranked[0][1]) if ranked else None


def pairs(subjects: Iterable[str], predicates: Iterable[str], names: str = "?s ?p") -> str:
    """``VALUES (?s ?p) { (<s1> <p1>) … }``: every subject with every predicate, as pairs.

    The same as two VALUES blocks multiplied, but Virtuoso answers the pairs at once (4 ms where
    the product took 33 ms, measured on a fresh 1M-triple database); Oxigraph alike.
    """
    predicates = list(predicates)
    rows = " ".join(f"(<{s}> <{p}>)" for s in subjects for p in predicates)
    return f"VALUES ({names}) {{ {rows} }}"


def fetch_labels(
    store: GraphStore, iris: Iterable[str], languages: Sequence[str] = FALLBACK
) -> dict[str, str]:
    """Labels for many resources with one query."""
    wanted = sorted({iri for iri in iris})
    if not wanted:
        return {}
    result = store.query(
        f"SELECT ?s ?p ?label WHERE {{ {pairs(wanted, LABEL_PREDICATES)} "
        f"?s ?p ?label . FILTER(isLiteral(?label)) }}"
    )
    found: dict[str, list[tuple[str, Literal]]] = {}
    for row in result.rows:
        found.setdefault(str(row["s"]), []).append((str(row["p"]), literal(row["label"])))
    return {
        iri: label
        for iri, pairs in found.items()
        if (label := best_label(pairs, list(languages))) is not None
    }


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
