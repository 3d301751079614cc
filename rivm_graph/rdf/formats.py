"""The one registry of formats: media type, file extension, names, W3C and EU identifiers.

Every table of formats in the project (what the endpoint answers in, what a resource document
negotiates, the dumps, the command line's ``--format``, the service description, the DCAT-AP
distributions) is a view of :data:`FORMATS`, as Oxigraph's ``RdfFormat`` is one enumeration with
``media_type``, ``file_extension`` and ``iri``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    label: str  # how a person names it
    media_type: str
    extension: str
    #: "graph" (RDF), "results" (SPARQL query results), "page" (HTML), "json" (plain JSON),
    #: "map" (GeoJSON)
    kind: str
    #: names a client may give in a format parameter (``format=ttl``); the first is the name
    #: the command line uses
    names: tuple[str, ...] = ()
    #: older media types clients send for the same thing
    synonyms: tuple[str, ...] = ()
    #: the W3C format IRI's local name (http://www.w3.org/ns/formats/…)
    w3c_name: str | None = None
    #: the EU file-type code (http://publications.europa.eu/resource/authority/file-type/…)
    eu_file_type: str | None = None
    supports_datasets: bool = False  # can hold named graphs (N-Quads, TriG, JSON-LD)
    #: whether the document is text, so its Content-Type says the charset
    text: bool = False

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.extension

    @property
    def w3c_iri(self) -> str | None:
        return W3C_FORMATS + self.w3c_name if self.w3c_name else None

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type

    @property
    def oxigraph(self) -> ox.RdfFormat | None:
        """Oxigraph's own name for an RDF format (None for the others)."""
        return ox.RdfFormat.from_media_type(self.media_type) if self.kind == "graph" else None


SPARQL_JSON = Format(
    "SPARQL JSON",
    "application/sparql-results+json",
    "srj",
    "results",
    names=("json", "srj"),
    synonyms=("application/json",),
    w3c_name="SPARQL_Results_JSON",
)
SPARQL_XML = Format(
    "SPARQL XML",
    "application/sparql-results+xml",
    "srx",
    "results",
    names=("xml", "srx"),
    synonyms=("application/xml", "text/xml"),
    w3c_name="SPARQL_Results_XML",
)
CSV = Format(
    "CSV",
    "text/csv",
    "csv",
    "results",
    names=("csv",),
    w3c_name="SPARQL_Results_CSV",
    eu_file_type="CSV",
    text=True,
)
TSV = Format(
    "TSV",
    "text/tab-separated-values",
    "tsv",
    "results",
    names=("tsv",),
    w3c_name="SPARQL_Results_TSV",
    text=True,
)
TURTLE = Format(
    "Turtle",
    "text/turtle",
    "ttl",
    "graph",
    names=("turtle", "ttl", "n3"),
    synonyms=(
        "application/x-turtle",
        "application/turtle",
        "text/n3",
        "text/rdf+n3",
        "application/n3",
    ),
    w3c_name="Turtle",
    eu_file_type="RDF_TURTLE",
    text=True,
)
NTRIPLES = Format(
    "N-Triples",
    "application/n-triples",
    "nt",
    "graph",
    names=("ntriples", "nt"),
    synonyms=("text/plain",),
    w3c_name="N-Triples",
    eu_file_type="RDF_N_TRIPLES",
)
JSONLD = Format(
    "JSON-LD",
    "application/ld+json",
    "jsonld",
    "graph",
    names=("jsonld", "json-ld", "json"),
    synonyms=("application/x-json+ld",),
    w3c_name="JSON-LD",
    eu_file_type="JSON_LD",
    supports_datasets=True,
)
RDFXML = Format(
    "RDF/XML",
    "application/rdf+xml",
    "rdf",
    "graph",
    names=("rdfxml", "rdf+xml", "rdf", "xml"),
    w3c_name="RDF_XML",
    eu_file_type="RDF_XML",
)
NQUADS = Format(
    "N-Quads",
    "application/n-quads",
    "nq",
    "graph",
    names=("nquads", "nq"),
    w3c_name="N-Quads",
    eu_file_type="RDF_N_QUADS",
    supports_datasets=True,
)
TRIG = Format(
    "TriG",
    "application/trig",
    "trig",
    "graph",
    names=("trig",),
    w3c_name="TriG",
    eu_file_type="RDF_TRIG",
    supports_datasets=True,
)
HTML = Format("HTML", "text/html", "html", "page", names=("html",))
#: Citations, with the media types DOI resolvers negotiate (DataCite, Crossref); formatted text
#: first: what a client that says nothing gets.
BIBLIOGRAPHY = Format("text", "text/x-bibliography", "txt", "citation", names=("text",), text=True)
BIBTEX = Format("BibTeX", "application/x-bibtex", "bib", "citation", names=("bibtex",), text=True)
RIS = Format(
    "RIS", "application/x-research-info-systems", "ris", "citation", names=("ris",), text=True
)
CSL_JSON = Format(
    "CSL-JSON",
    "application/vnd.citationstyles.csl+json",
    "json",
    "citation",
    names=("csl-json", "citeproc-json"),
    text=True,
)
JSON = Format("JSON", "application/json", "json", "json", names=("json",), eu_file_type="JSON")
#: The tables' CSV on the Web metadata (W3C Metadata Vocabulary for Tabular Data).
CSVW_METADATA = Format(
    "CSVW metadata", "application/csvm+json", "json", "json", eu_file_type="JSON"
)
#: The cities and sites on a map (RFC 7946).
GEOJSON = Format(
    "GeoJSON", "application/geo+json", "geojson", "map", names=("geojson",), eu_file_type="GEOJSON"
)

#: Every format, in order of preference within its kind.
FORMATS: tuple[Format, ...] = (
    SPARQL_JSON,
    SPARQL_XML,
    CSV,
    TSV,
    TURTLE,
    NTRIPLES,
    JSONLD,
    RDFXML,
    NQUADS,
    TRIG,
    HTML,
    JSON,
    BIBLIOGRAPHY,
    BIBTEX,
    RIS,
    CSL_JSON,
    CSVW_METADATA,
    GEOJSON,
)

#: What a SELECT or ASK answer can be written in (JSON first: the default).
RESULT_FORMATS = tuple(f for f in FORMATS if f.kind == "results")
#: What a CONSTRUCT or DESCRIBE answer can be written in (Turtle first: the default).
GRAPH_FORMATS = tuple(f for f in FORMATS if f.kind == "graph")
#: How a citation is written.
CITATION_FORMATS = tuple(f for f in FORMATS if f.kind == "citation")
#: What a document about a resource (or the ontology, or a description) is written in.
DOCUMENT_FORMATS = (TURTLE, JSONLD, RDFXML, NTRIPLES)

_BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}


def by_media_type(media_type: str) -> Format | None:
    return _BY_MEDIA_TYPE.get(media_type.split(";")[0].strip().lower())


def content_type(media_type: str) -> str:
    """The Content-Type header for a body in ``media_type`` (the charset of text formats)."""
    fmt = by_media_type(media_type)
    return fmt.content_type if fmt else media_type


def media_types(formats: tuple[Format, ...]) -> list[str]:
    return [f.media_type for f in formats]
