"""The tables' metadata: CSV on the Web (``csv-metadata.json``) and a Frictionless Data Package
(``datapackage.json``)."""

from __future__ import annotations

import hashlib
from typing import Any

from ...pages.resource_description import DATASET_IRI, LICENSE
from ...rdf import formats
from .build import IRI_SEPARATOR, TEXT_SEPARATOR, BuiltTable, ColumnData
from .specs import RDF, XSD

METADATA = "csv-metadata.json"
DATAPACKAGE = "datapackage.json"
CSV_MEDIA_TYPE = formats.CSV.media_type

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
