"""The one prefix map of the project.

Every Turtle file, every SPARQL query and every serialisation binds prefixes from here; a test
fails if a file in the repository binds a prefix to another namespace.
"""

from __future__ import annotations

from rdflib import Namespace

BASE_IRI = "https://w3id.org/rivm/"
ID_BASE = BASE_IRI + "id/"
GRAPH_BASE = BASE_IRI + "graph/"
QUERY_BASE = BASE_IRI + "query/"
ONTOLOGY_IRI = BASE_IRI + "ontology"

#: The kinds of resource the data mints, in the order the README documents them.
KINDS: tuple[str, ...] = (
    "organization",
    "city",
    "country",
    "geometry",
    "site",
    "status",
    "product",
    "conference",
    "event",
    "venue",
    "participation",
    "vote",
    "declaration",
    "commitment",
    "person",
    "membership",
    "role",
    "theme",
    "scheme",
    "project",
    "twinning",
    "figure",
    "quantity",
    "source",
)

PREFIXES: dict[str, str] = {
    # This project
    "rivm": ONTOLOGY_IRI + "#",
    "rivmsh": BASE_IRI + "shapes#",
    "rivmq": BASE_IRI + "ontology/query#",
    "query": QUERY_BASE,
    "rivmt": BASE_IRI + "test#",
    **{kind: f"{ID_BASE}{kind}/" for kind in KINDS},
    # W3C and other standard vocabularies
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "wgs": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "time": "http://www.w3.org/2006/time#",
    "vann": "http://purl.org/vocab/vann/",
    "sh": "http://www.w3.org/ns/shacl#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
}

RIVM = Namespace(PREFIXES["rivm"])
RIVMQ = Namespace(PREFIXES["rivmq"])
RIVMSH = Namespace(PREFIXES["rivmsh"])
SCHEMA = Namespace(PREFIXES["schema"])
ORG = Namespace(PREFIXES["org"])
GEO = Namespace(PREFIXES["geo"])
WGS = Namespace(PREFIXES["wgs"])
VANN = Namespace(PREFIXES["vann"])
SD = Namespace(PREFIXES["sd"])
VOID = Namespace(PREFIXES["void"])
#: Open (not rdflib's closed SH) because SIB's catalogue format adds sh:describe.
SH = Namespace(PREFIXES["sh"])


def bind_all(graph) -> None:
    """Bind the project's prefixes on an rdflib graph, replacing rdflib's defaults."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def sparql_prologue(used_in: str | None = None) -> str:
    """PREFIX lines for SPARQL; only those a query text uses when ``used_in`` is given."""
    lines = []
    for prefix, namespace in PREFIXES.items():
        if used_in is None or f"{prefix}:" in used_in:
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(lines) + "\n"


def turtle_prefixes() -> str:
    """The @prefix block every Turtle file of the repository starts with (or a subset of it)."""
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
