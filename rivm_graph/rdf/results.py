"""Writing SPARQL answers with a cap on rows, in every standard format.

Oxigraph serialises a whole answer at once, so a runaway query would build gigabytes before any
cap could apply. Rows are therefore read one at a time up to the cap, and the capped rows are
written here (SPARQL 1.1 results JSON, XML, CSV and TSV); graphs go back to Oxigraph's writers.
Blank nodes are renamed and graphs sorted (rdf_serialize), so an answer is the same bytes in every
process, as its strong ETag says.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .formats import GRAPH_FORMATS, RESULT_FORMATS
from .namespaces import PREFIXES
from .serialize import answer_rows, answer_triples

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: media type → the writer's name for it (json, xml, csv, tsv)
RESULTS_MEDIA_TYPES = {f.media_type: f.name for f in RESULT_FORMATS}
#: media type → Oxigraph's RDF format
GRAPH_MEDIA_TYPES = {f.media_type: f.oxigraph for f in GRAPH_FORMATS}


@dataclass(frozen=True)
class SerializedAnswer:
    body: bytes
    media_type: str
    kind: str  # "select", "ask" or "graph"
    size: int  # rows, or triples
    truncated: bool
    #: False when the bytes may differ between processes (blank nodes that could not be told
    #: apart, a graph cut short): the answer then carries a weak ETag.
    same_everywhere: bool = True


#: A JSON string of a Python one, as ``json.dumps(…, ensure_ascii=False)`` writes it: the json
#: module's own C function, called directly (its encoder's ``encode`` adds a Python call per
#: string, a fifth of a lookup's serialisation).
_json_string: Callable[[str], str] = encode_basestring


def _json_term(term) -> str:
    """A term as SPARQL JSON results write it, made as text: the same bytes as ``json.dumps`` of
    the object, in a third less time (no dictionary per term, one encoder call per string)."""
    value = _json_string(term.value)
    kind = type(term)
    if kind is ox.NamedNode:
        return '{"type":"uri","value":' + value + "}"
    if kind is ox.BlankNode:
        return '{"type":"bnode","value":' + value + "}"
    if term.language:
        return (
            '{"type":"literal","value":'
            + value
            + ',"xml:lang":'
            + _json_string(term.language)
            + "}"
        )
    if (datatype := term.datatype.value) != XSD_STRING:
        return '{"type":"literal","value":' + value + ',"datatype":' + _json_string(datatype) + "}"
    return '{"type":"literal","value":' + value + "}"


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def write_solutions(variables: list[str], rows: Sequence[Sequence], fmt: str) -> bytes:
    if fmt == "json":
        names = [_json_string(v) + ":" for v in variables]
        bindings = ",".join(
            [
                "{"
                + ",".join(
                    [n + _json_term(t) for n, t in zip(names, row, strict=True) if t is not None]
                )
                + "}"
                for row in rows
            ]
        )
        head = ",".join(_json_string(v) for v in variables)
        return (
            '{"head":{"vars":[' + head + ']},"results":{"bindings":[' + bindings + "]}}"
        ).encode()
    if fmt == "xml":
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
        ]
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            for v, t in zip(variables, row, strict=True):
                if t is not None:
                    parts.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return out.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"unknown results format {fmt!r}")


def write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/'
            f'sparql-results#"><head/><boolean>{"true" if value else "false"}</boolean></sparql>\n'
        ).encode()
    if fmt in ("csv", "tsv"):
        return (
            ("_askResult\r\n" if fmt == "csv" else "?_askResult\n").encode()
            + (b"true" if value else b"false")
            + (b"\r\n" if fmt == "csv" else b"\n")
        )
    raise ValueError(f"unknown results format {fmt!r}")


#: Rows read between two calls of a reader's ``pace`` (see :func:`_take`).
PACE_EVERY = 256


def paced(items: Iterable, pace: Callable[[], None]) -> Iterator:
    """The items, ``pace`` called before the first and every PACE_EVERY (it raises to stop)."""
    for n, item in enumerate(items):
        if n % PACE_EVERY == 0:
            pace()
        yield item


def _take(
    items: Iterable, max_rows: int | None, pace: Callable[[], None] | None = None
) -> tuple[list, bool]:
    """At most ``max_rows`` items (one more is read, to know whether any were left out); ``pace``
    is called before the first and every PACE_EVERY items (it raises to stop the reading)."""
    if pace is not None:
        items = paced(items, pace)
    kept = list(itertools.islice(items, None if max_rows is None else max_rows + 1))
    if max_rows is not None and len(kept) > max_rows:
        return kept[:max_rows], True
    return kept, False


def serialize_answer(
    answer, media_type: str, max_rows: int | None, pace: Callable[[], None] | None = None
) -> SerializedAnswer:
    """Serialise an Oxigraph answer in ``media_type``, reading at most ``max_rows`` rows/triples
    (``pace``: see :func:`_take`).

    ValueError when the media type does not fit the answer (a graph asked as CSV, say).
    """
    if isinstance(answer, ox.QueryBoolean):
        return serialize_boolean(bool(answer), media_type)
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = (tuple(solution) for solution in answer)  # its values, in the variables' order
        return serialize_solutions(variables, rows, media_type, max_rows, pace=pace)
    return serialize_triples(answer, media_type, max_rows, pace=pace)


def serialize_boolean(value: bool, media_type: str) -> SerializedAnswer:
    fmt = RESULTS_MEDIA_TYPES.get(media_type)
    if fmt is None:
        raise ValueError(f"{media_type} cannot carry a boolean answer")
    return SerializedAnswer(write_boolean(value, fmt), media_type, "ask", 1, False)


def serialize_solutions(
    variables: list[str],
    rows: Iterable[Sequence],
    media_type: str,
    max_rows: int | None,
    *,
    truncated: bool = False,
    pace: Callable[[], None] | None = None,
) -> SerializedAnswer:
    """Rows (lists of terms or None, in the order of ``variables``), at most ``max_rows`` read;
    ``truncated`` says the rows were already cut upstream (a remote engine's own cap)."""
    fmt = RESULTS_MEDIA_TYPES.get(media_type)
    if fmt is None:
        raise ValueError(f"{media_type} cannot carry query solutions")
    kept, cut = _take(rows, max_rows, pace)
    body = write_solutions(variables, answer_rows(kept), fmt)
    return SerializedAnswer(body, media_type, "select", len(kept), truncated or cut)


def serialize_triples(
    triples: Iterable[ox.Triple],
    media_type: str,
    max_rows: int | None,
    *,
    truncated: bool = False,
    pace: Callable[[], None] | None = None,
) -> SerializedAnswer:
    rdf_format = GRAPH_MEDIA_TYPES.get(media_type)
    if rdf_format is None:
        raise ValueError(f"{media_type} cannot carry an RDF graph")
    taken, cut = _take(triples, max_rows, pace)
    kept, certain = answer_triples(taken)
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if rdf_format.supports_datasets:
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in kept]
        body = ox.serialize(quads, format=rdf_format, prefixes=prefixes)
    else:
        body = ox.serialize(kept, format=rdf_format, prefixes=prefixes)
    # A cut answer holds the first triples in the engine's order, which a remote engine may vary.
    same = certain and not (truncated or cut)
    return SerializedAnswer(
        body or b"", media_type, "graph", len(kept), truncated or cut, same_everywhere=same
    )
