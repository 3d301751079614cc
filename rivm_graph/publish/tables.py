"""The graph as CSV tables a person opens without knowing RDF, with the metadata that maps them
back onto the graph: CSV on the Web (``csv-metadata.json``) and a Frictionless Data Package
(``datapackage.json``).

Each table is read from the store by SPARQL of plain triple patterns and VALUES (the same on
Oxigraph and Virtuoso); every column is one triple pattern from the row's resource or from the
resource of another column (a country's label, a geometry's latitude), so its CSVW ``aboutUrl``,
``propertyUrl`` and ``valueUrl`` say exactly which triple each cell is. A column is left out of
the CSVW conversion (``suppressOutput``) where a cell could not give a triple of the graph: several
values in one cell (CSVW cannot expand a list into IRIs), values of more than one datatype (dates
of the precision each source gives), and cells about another resource than the row's (a country's
name, a point's latitude): these are copies for reading, whose triples belong to that resource;
the ``csvw`` package's conversion of rows about several resources also fails on typed values and
on two columns of one property.

Tables are written once per data version into their own folder, beside the dumps, and reused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..i18n import LANGUAGES
from ..pages.resource_description import DATASET_IRI, LICENSE
from ..rdf.namespaces import ID_BASE, PREFIXES
from ..stores.base import GraphStore

RDF, RDFS, RIVM = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["rivm"]
SCHEMA, DCT, ORG = PREFIXES["schema"], PREFIXES["dct"], PREFIXES["org"]
WGS, GEO, XSD = PREFIXES["wgs"], PREFIXES["geo"], PREFIXES["xsd"]
LABEL = RDFS + "label"

METADATA = "csv-metadata.json"
DATAPACKAGE = "datapackage.json"
CHECKSUMS = "SHA256SUMS"
CSV_MEDIA_TYPE = "text/csv"
#: IRIs in one cell are separated by a space (IRIs hold none), other values by " | ".
IRI_SEPARATOR, TEXT_SEPARATOR = " ", " | "
#: IRIs per VALUES block: small enough for any engine's query text limits.
CHUNK = 200

#: XSD datatypes (local names, as CSVW names them) → Frictionless field type.
FRICTIONLESS_TYPES = {
    "string": "string",
    "anyURI": "string",
    "integer": "integer",
    "positiveInteger": "integer",
    "nonNegativeInteger": "integer",
    "decimal": "number",
    "double": "number",
    "boolean": "boolean",
    "date": "date",
    "gYear": "year",
    "gYearMonth": "yearmonth",
}


@dataclass(frozen=True)
class Column:
    """One triple pattern: ``<subject> predicate ?value`` (``?value predicate <subject>`` when
    ``inverse``), the subject being the row's resource or, with ``of``, the resource named by
    that earlier column of the row."""

    name: str
    predicate: str
    description: str
    of: str | None = None
    inverse: bool = False
    link: bool = False  # the value is a resource (an IRI column), else a literal
    lang: str | None = None  # only literals in this language


def _label(name: str, of: str | None, what: str, lang: str = "en") -> Column:
    return Column(name, LABEL, f"the name of {what} ({lang})", of=of, lang=lang)


def _link(name: str, predicate: str, what: str, of: str | None = None, **kw: Any) -> Column:
    return Column(name, predicate, f"the IRI of {what}", of=of, link=True, **kw)


def _confidence() -> tuple[Column, Column]:
    return (
        _link("confidence_iri", RIVM + "confidence", "the confidence, where it is not high"),
        _label("confidence", "confidence_iri", "the confidence (medium, unconfirmed …)"),
    )


def _sources() -> Column:
    return _link("sources", DCT + "source", "each source document stating it")


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    kinds: tuple[str, ...]  # the resources under ID_BASE<kind>/ are the rows
    columns: tuple[Column, ...]
    #: one row per value of this predicate (a declaration per signatory), else one per resource
    per: str | None = None
    #: other languages get a column of their own for these label columns
    translated: tuple[str, ...] = ()


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "cities",
        "Cities of the network",
        ("city",),
        (
            _label("city", None, "the city"),
            _link("country_iri", RIVM + "country", "its country"),
            _label("country", "country_iri", "its country"),
            Column(
                "country_code",
                RIVM + "iso3166Alpha2",
                "ISO 3166-1 alpha-2 code of its country",
                of="country_iri",
            ),
            Column("subdivision_code", RIVM + "subdivisionCode", "ISO 3166-2 code of its region"),
            _link("geometry_iri", GEO + "hasGeometry", "its point"),
            Column("latitude", WGS + "lat", "latitude (WGS84, degrees)", of="geometry_iri"),
            Column("longitude", WGS + "long", "longitude (WGS84, degrees)", of="geometry_iri"),
            Column("geonames_id", RIVM + "geonamesId", "GeoNames identifier"),
            Column("wikidata_id", RIVM + "wikidataId", "Wikidata identifier"),
            _link("membership_iri", ORG + "member", "its membership of the network", inverse=True),
            _link("role_iri", ORG + "role", "its role in the network", of="membership_iri"),
            _label("role", "role_iri", "its role in the network (member city …)"),
            _sources(),
        ),
        translated=("city",),
    ),
    TableSpec(
        "sites",
        "Michelin sites",
        ("site",),
        (
            _label("site", None, "the site"),
            _link("kind_iri", RDF + "type", "its kind (plant, research centre …)"),
            _label("kind", "kind_iri", "its kind"),
            _link("city_iri", RIVM + "locatedIn", "the city it is in"),
            _label("city", "city_iri", "the city it is in"),
            _link("near_city_iri", RIVM + "nearCity", "the city it is near"),
            _label("near_city", "near_city_iri", "the city it is near"),
            _link("operator_iri", RIVM + "operatedBy", "who operates it"),
            _label("operator", "operator_iri", "who operates it"),
            Column("address", SCHEMA + "address", "its address as the sources give it"),
            Column("opening_date", RIVM + "openingDate", "when it opened"),
            _link("product_iris", RIVM + "product", "each kind of product made there"),
            _label("products", "product_iris", "each kind of product made there"),
            _link("status_report_iris", RIVM + "statusReport", "each report of its status"),
            _sources(),
        ),
        translated=("site",),
    ),
    TableSpec(
        "events",
        "Conferences, general assemblies, meetings and other events",
        ("conference", "event"),
        (
            _label("event", None, "the event"),
            _link("kind_iri", RDF + "type", "its kind (conference, general assembly …)"),
            _label("kind", "kind_iri", "its kind"),
            Column("ordinal", RIVM + "ordinal", "its number in the series of conferences"),
            Column("start_date", SCHEMA + "startDate", "first day"),
            Column("end_date", SCHEMA + "endDate", "last day"),
            _link("host_city_iri", RIVM + "hostCity", "the city hosting it"),
            _label("host_city", "host_city_iri", "the city hosting it"),
            _link("venue_iri", SCHEMA + "location", "where it took place"),
            _label("venue", "venue_iri", "where it took place"),
            _link("attendance_mode_iri", SCHEMA + "eventAttendanceMode", "in person or online"),
            _sources(),
        ),
        translated=("event",),
    ),
    TableSpec(
        "participations",
        "Participations of cities in events",
        ("participation",),
        (
            _link("event_iri", RIVM + "inEvent", "the event"),
            _label("event", "event_iri", "the event"),
            _link("participant_iri", RIVM + "participant", "the participating city or person"),
            _label("participant", "participant_iri", "the participating city or person"),
            Column("initiatives", RIVM + "initiative", "initiatives it presented", lang="en"),
            Column("evidence", RIVM + "evidence", "what the sources say", lang="en"),
            *_confidence(),
            _sources(),
        ),
    ),
    TableSpec(
        "memberships",
        "Memberships: cities and people in the network and its bodies",
        ("membership",),
        (
            _label("membership", None, "the membership"),
            _link("member_iri", ORG + "member", "the member (a city or a person)"),
            _label("member", "member_iri", "the member"),
            _link("organization_iri", ORG + "organization", "the organisation"),
            _label("organization", "organization_iri", "the organisation"),
            _link("role_iri", ORG + "role", "the role"),
            _label("role", "role_iri", "the role"),
            Column("start_date", SCHEMA + "startDate", "since when"),
            Column("end_date", SCHEMA + "endDate", "until when"),
            Column("evidence", RIVM + "evidence", "what the sources say", lang="en"),
            *_confidence(),
            _sources(),
        ),
    ),
    TableSpec(
        "signatories",
        "Declarations and their signatory cities (one row per signatory)",
        ("declaration",),
        (
            _label("declaration", None, "the declaration"),
            Column("date", DCT + "date", "when it was adopted"),
            _link("adopted_at_iri", RIVM + "adoptedAt", "the event where it was adopted"),
            _label("adopted_at", "adopted_at_iri", "the event where it was adopted"),
            _link("signatory_iri", RIVM + "signatory", "the signatory city"),
            _label("signatory", "signatory_iri", "the signatory city"),
            _link("country_iri", RIVM + "country", "the signatory's country", of="signatory_iri"),
            _label("country", "country_iri", "the signatory's country"),
        ),
        per=RIVM + "signatory",
    ),
    TableSpec(
        "people",
        "People",
        ("person",),
        (
            _label("person", None, "the person"),
            Column("name", SCHEMA + "name", "full name"),
            Column("job_title", SCHEMA + "jobTitle", "position as the sources give it", lang="en"),
            _link("works_for_iri", SCHEMA + "worksFor", "the organisation employing them"),
            _label("works_for", "works_for_iri", "the organisation employing them"),
            _sources(),
        ),
    ),
    TableSpec(
        "sources",
        "Source documents",
        ("source",),
        (
            Column("source_key", RIVM + "sourceKey", "the fact base's key"),
            Column("title", DCT + "title", "title", lang="en"),
            _link("url", SCHEMA + "url", "the document on the web"),
            _link("language_iri", DCT + "language", "its language (EU authority table)"),
            Column("issued", DCT + "issued", "when it was published"),
            Column("date_text", RIVM + "dateText", "its date as written"),
            Column("source_type", RIVM + "sourceType", "kind of document"),
            *_confidence(),
        ),
    ),
    TableSpec(
        "figures",
        "Reported figures, each with its source",
        ("figure",),
        (
            _link("about_iri", RIVM + "about", "what the figure is about"),
            _label("about", "about_iri", "what the figure is about"),
            _link("quantity_iri", RIVM + "quantity", "what is counted"),
            _label("quantity", "quantity_iri", "what is counted"),
            Column("value", RIVM + "value", "the value reported"),
            _link("comparator_iri", RIVM + "comparator", "about, more than … (empty: exactly)"),
            _label("comparator", "comparator_iri", "about, more than …"),
            Column("reference_date", RIVM + "referenceDate", "the date the figure refers to"),
            Column("forecast", RIVM + "isForecast", "true for an expected figure"),
            _link("source_iri", DCT + "source", "the source reporting it"),
            Column("source_title", DCT + "title", "the source's title", of="source_iri", lang="en"),
            _link("source_url", SCHEMA + "url", "the source on the web", of="source_iri"),
            *_confidence(),
        ),
    ),
)
BY_NAME = {table.name: table for table in TABLES}
#: Which table lists the resources of a kind (``/id/<kind>/?format=csv``).
TABLE_OF_KIND = {kind: table.name for table in TABLES for kind in table.kinds}


# ----------------------------------------------------------------------------------------------
# Reading a table from the store
# ----------------------------------------------------------------------------------------------


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _resources(store: GraphStore, kinds: tuple[str, ...]) -> list[str]:
    found: set[str] = set()
    for kind in kinds:
        prefix = f"{ID_BASE}{kind}/"
        rows = store.query(
            f'SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{prefix}")) }}'
        ).rows
        found.update(str(r["s"]) for r in rows)
    return sorted(found)


def objects_of(
    store: GraphStore, subjects: set[str], predicate: str, inverse: bool = False
) -> dict[str, list[Node]]:
    """For each subject, the values of ``predicate`` (subjects of it when ``inverse``)."""
    found: dict[str, list[Node]] = {}
    pattern = f"?v <{predicate}> ?s" if inverse else f"?s <{predicate}> ?v"
    for chunk in _chunks(sorted(subjects)):
        values = " ".join(f"<{iri}>" for iri in chunk)
        rows = store.query(f"SELECT ?s ?v WHERE {{ VALUES ?s {{ {values} }} {pattern} }}").rows
        for row in rows:
            found.setdefault(str(row["s"]), []).append(row["v"])
    return found


def _sort_key(term: Node) -> tuple[str, str]:
    return (str(term), getattr(term, "language", None) or "")


@dataclass
class ColumnData:
    """A column as built: its spec, its cells (one list of values per row), what they hold."""

    spec: Column
    cells: list[list[Node]]
    datatypes: set[str] = field(default_factory=set)

    @property
    def multiple(self) -> bool:
        return any(len(values) > 1 for values in self.cells)

    def cell(self, row: int) -> str:
        values = self.cells[row]
        separator = IRI_SEPARATOR if self.spec.link else TEXT_SEPARATOR
        return separator.join(str(v) for v in values)


@dataclass
class BuiltTable:
    spec: TableSpec
    subjects: list[str]
    columns: list[ColumnData]

    def header(self) -> list[str]:
        return ["iri", *(c.spec.name for c in self.columns)]

    def rows(self) -> list[list[str]]:
        return [
            [subject, *(c.cell(i) for c in self.columns)] for i, subject in enumerate(self.subjects)
        ]


def _expand_languages(spec: TableSpec) -> list[Column]:
    """The spec's columns, with a column per other language (that has names) after a translated
    label column."""
    columns: list[Column] = []
    for column in spec.columns:
        columns.append(column)
        if column.name in spec.translated:
            for lang in LANGUAGES:
                if lang != column.lang:
                    columns.append(
                        Column(
                            f"{column.name}_{lang}",
                            column.predicate,
                            column.description.replace("(en)", f"({lang})"),
                            of=column.of,
                            lang=lang,
                        )
                    )
    return columns


def _keep(column: Column, value: Node) -> bool:
    if column.link:
        return isinstance(value, URIRef)
    if not isinstance(value, Literal):
        return False
    return column.lang is None or (value.language or "").lower() == column.lang


def build_table(store: GraphStore, spec: TableSpec) -> BuiltTable:
    resources = _resources(store, spec.kinds)
    subjects: list[str] = []
    per_values: list[list[Node]] = []
    if spec.per:
        found = objects_of(store, set(resources), spec.per, False)
        for iri in resources:
            for value in sorted(found.get(iri, []), key=_sort_key):
                subjects.append(iri)
                per_values.append([value])
    else:
        subjects = resources
    built: dict[str, ColumnData] = {}
    columns = _expand_languages(spec)
    translations = {c.name for c in columns} - {c.name for c in spec.columns}
    for column in columns:
        if spec.per and column.predicate == spec.per and column.of is None:
            cells = per_values
        else:
            sources = (
                [[URIRef(s)] for s in subjects] if column.of is None else built[column.of].cells
            )
            asked = {str(v) for values in sources for v in values if isinstance(v, URIRef)}
            found = objects_of(store, asked, column.predicate, column.inverse) if asked else {}
            cells = []
            for values in sources:
                cell = {
                    v for source in values for v in found.get(str(source), []) if _keep(column, v)
                }
                cells.append(sorted(cell, key=_sort_key))
        data = ColumnData(column, cells)
        data.datatypes = {
            str(v.datatype or (XSD + "string"))
            for values in cells
            for v in values
            if isinstance(v, Literal)
        }
        built[column.name] = data
    # a language column nobody has a name in does not help
    kept = [d for name, d in built.items() if name not in translations or any(d.cells)]
    return BuiltTable(spec, subjects, kept)


def to_csv(table: BuiltTable) -> bytes:
    """RFC 4180: UTF-8, CRLF, fields quoted where they must be, a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header())
    writer.writerows(table.rows())
    return out.getvalue().encode("utf-8")


# ----------------------------------------------------------------------------------------------
# The metadata: CSVW and Frictionless
# ----------------------------------------------------------------------------------------------


def _datatype(data: ColumnData) -> str | None:
    """The XSD local name every value shares; None when they have several."""
    if data.spec.link:
        return "anyURI"
    if not data.datatypes:
        return "string"
    if len(data.datatypes) > 1:
        return None
    (only,) = data.datatypes
    name = only[len(XSD) :] if only.startswith(XSD) else None
    if only == RDF + "langString":
        return "string"
    return name if name in FRICTIONLESS_TYPES else None


def _suppressed(data: ColumnData) -> str | None:
    """Why this column gives no triple in the CSVW conversion, or None if it gives its own."""
    if data.spec.of is not None or data.spec.inverse:
        return "it describes another resource, named by a column of the row"
    if data.multiple:
        return "several values in a cell"
    if _datatype(data) is None:
        return "values of several datatypes: " + ", ".join(
            sorted(d.rsplit("#", 1)[-1] for d in data.datatypes)
        )
    return None


def _template(column: str) -> str:
    return "{+" + column + "}"


def _csvw_column(data: ColumnData) -> dict[str, Any]:
    spec = data.spec
    # An IRI column is a string to CSVW: its valueUrl makes the IRI (the csvw package expands a
    # template over a parsed anyURI cell wrongly).
    datatype = "string" if spec.link else _datatype(data) or "string"
    column: dict[str, Any] = {
        "name": spec.name,
        "titles": spec.name,
        "dc:description": spec.description,
        "datatype": datatype,
    }
    if spec.lang:
        column["lang"] = spec.lang
    if data.multiple:
        column["separator"] = IRI_SEPARATOR if spec.link else TEXT_SEPARATOR
    subject = _template(spec.of) if spec.of else None
    column["propertyUrl"] = spec.predicate
    if spec.inverse:
        column["aboutUrl"] = _template(spec.name)
        column["valueUrl"] = subject or _template("iri")
    else:
        if subject:
            column["aboutUrl"] = subject
        if spec.link:
            column["valueUrl"] = _template(spec.name)
    reason = _suppressed(data)
    if reason:
        column["suppressOutput"] = True
        column["dc:description"] += f" (not converted to RDF: {reason})"
    return column


def csvw_table(table: BuiltTable) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "aboutUrl": _template("iri"),
        "columns": [
            {
                "name": "iri",
                "titles": "iri",
                "dc:description": "the IRI of the resource the row is about",
                "datatype": "string",
                "required": True,
                "suppressOutput": True,
            },
            *(_csvw_column(data) for data in table.columns),
        ],
    }
    if not table.spec.per:
        schema["primaryKey"] = "iri"
    return {
        "url": f"{table.spec.name}.csv",
        "dc:title": table.spec.title,
        "tableSchema": schema,
    }


def csv_metadata(tables: list[BuiltTable], version: str) -> dict[str, Any]:
    """The CSVW metadata of every table (W3C Metadata Vocabulary for Tabular Data); table URLs
    are relative, so the document is the same wherever it is served."""
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "@id": DATASET_IRI + "/tables",
        "dc:title": "RIVM / INMC knowledge graph as tables",
        "dc:source": {"@id": DATASET_IRI},
        "dc:license": {"@id": str(LICENSE)},
        "schema:version": version,
        "dialect": {"encoding": "utf-8", "lineTerminators": ["\r\n"], "header": True},
        "tables": [csvw_table(table) for table in tables],
    }


def _field(data: ColumnData) -> dict[str, Any]:
    datatype = _datatype(data)
    described: dict[str, Any] = {
        "name": data.spec.name,
        "description": data.spec.description,
        "type": "string" if data.multiple or datatype is None else FRICTIONLESS_TYPES[datatype],
    }
    if described["type"] == "boolean":
        described["trueValues"], described["falseValues"] = ["true"], ["false"]
    if datatype == "anyURI" and not data.multiple:
        described["format"] = "uri"
    if not data.spec.inverse and data.spec.of is None:
        described["rdfType"] = data.spec.predicate
    return described


def datapackage(tables: list[BuiltTable], written: dict[str, bytes], version: str) -> dict:
    """A Frictionless Data Package: one tabular data resource per table, with its bytes and
    SHA-256 so ``frictionless validate`` checks the files too."""
    resources = []
    for table in tables:
        name = f"{table.spec.name}.csv"
        data = written[name]
        schema: dict[str, Any] = {
            "fields": [
                {
                    "name": "iri",
                    "type": "string",
                    "format": "uri",
                    "constraints": {"required": True},
                },
                *(_field(c) for c in table.columns),
            ],
            "missingValues": [""],
        }
        if not table.spec.per:
            schema["primaryKey"] = ["iri"]
        resources.append(
            {
                "name": table.spec.name,
                "title": table.spec.title,
                "path": name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": CSV_MEDIA_TYPE,
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "schema": schema,
            }
        )
    return {
        "name": "rivm-graph",
        "id": DATASET_IRI,
        "title": "RIVM / INMC knowledge graph as tables",
        "version": version,
        "licenses": [{"name": "CC-BY-4.0", "path": str(LICENSE), "title": "CC BY 4.0"}],
        "profile": "tabular-data-package",
        "resources": resources,
    }


def _json(document: dict) -> bytes:
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def write_tables(store: GraphStore, directory: Path, version: str) -> None:
    """Every table, ``csv-metadata.json``, ``datapackage.json`` and SHA256SUMS into
    ``directory`` (which must exist)."""
    tables = [build_table(store, spec) for spec in TABLES]
    written = {f"{t.spec.name}.csv": to_csv(t) for t in tables}
    written[METADATA] = _json(csv_metadata(tables, version))
    written[DATAPACKAGE] = _json(datapackage(tables, written, version))
    for name, data in written.items():
        (directory / name).write_bytes(data)
    (directory / CHECKSUMS).write_text(
        "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(written.items()))
    )


# ----------------------------------------------------------------------------------------------
# Built once per data version
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableFile:
    name: str
    path: Path
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class TableSet:
    version: str
    directory: Path
    files: tuple[TableFile, ...]

    def file(self, name: str) -> TableFile | None:
        return next((f for f in self.files if f.name == name), None)

    def table(self, name: str) -> TableFile | None:
        return self.file(f"{name}.csv")

    @property
    def names(self) -> list[str]:
        return [t.name for t in TABLES]


def _media_type(name: str) -> str:
    return CSV_MEDIA_TYPE if name.endswith(".csv") else "application/json"


def _read(directory: Path, version: str) -> TableSet | None:
    """The tables in ``directory`` if complete and every checksum matches, else None."""
    sums = directory / CHECKSUMS
    if not sums.exists():
        return None
    files = []
    for line in filter(None, sums.read_text().split("\n")):
        digest, name = line.split("  ", 1)
        path = directory / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return None
        files.append(TableFile(name, path, _media_type(name), path.stat().st_size, digest))
    expected = {f"{t.name}.csv" for t in TABLES} | {METADATA, DATAPACKAGE}
    if {f.name for f in files} != expected:
        return None
    return TableSet(version, directory, tuple(files))


def ensure_tables(build: Callable[[Path], None], version: str, directory: Path) -> TableSet:
    """The tables of this data version in ``directory``: read if intact, else built atomically
    (``build`` writes them into a fresh folder)."""
    found = _read(directory, version)
    if found is not None:
        return found
    directory.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    try:
        build(building)
        if directory.exists():
            shutil.rmtree(directory)  # incomplete or altered: never served
        os.replace(building, directory)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    built = _read(directory, version)
    if built is None:
        raise RuntimeError(f"the tables written to {directory} do not verify")
    return built


def tables_for(store: GraphStore, settings: dict) -> TableSet:
    """The tables of what ``store`` holds, built if needed under the configured dump folder."""
    from .. import __version__
    from ..config import dump_base

    version = f"{__version__}-{store.data_version}"
    directory = dump_base(settings) / f"tables-{version}"
    return ensure_tables(lambda d: write_tables(store, d, version), version, directory)
